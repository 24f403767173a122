using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model.Checkpoints;
using RealtimeHead.Model.Losses;
using RealtimeHead.Model.Training;
using RealtimeHead.Training.Data;
using RealtimeHead.Training.Reporting;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Training.Runs;

/// <summary>
/// <c>realtimehead train</c>: S3D-NeRF on a corpus with the lip-sync discriminator frozen (Sec. 3.4-3.5). Batch n comes
/// from <see cref="CorpusDataset.Batch"/> (a pure function of the seed and n) and step n reseeds torch from (seed, n),
/// so a run resumed from its latest checkpoint continues exactly as the uninterrupted run would have.
/// <para>Output directory:</para>
/// <list type="bullet">
/// <item><c>checkpoints/step-NNNNNNNN/</c>: <see cref="S3DNeRFCheckpoint"/> directories (the newest
/// <see cref="TrainingRunOptions.KeepCheckpoints"/> kept); written to a temporary name and renamed, so a killed run never
/// leaves a half checkpoint that resume would pick.</item>
/// <item><c>losses.csv</c> (step, every Eq. 9 term, the StyleGAN discriminator loss, R1, seconds) and <c>losses.png</c>.</item>
/// <item><c>validation/step-NNNNNNNN.png</c> (ground truth over renders of held-out clips), <c>.mp4</c> (truth | render
/// with the audio), <c>validation.csv</c> (PSNR of the grid's renders).</item>
/// <item><c>split.json</c>: the training and validation identities and clips.</item>
/// </list>
/// </summary>
public sealed partial class TrainingRun
{
    public const string CheckpointsFolder = "checkpoints";
    public const string LossesFile = "losses.csv";
    public const string PlotFile = "losses.png";
    public const string ValidationFolder = "validation";
    public const string ValidationFile = "validation.csv";
    public const string SplitFile = "split.json";
    private const string CheckpointPrefix = "step-";

    /// <summary>Columns of <see cref="LossesFile"/> after the step: the Eq. 9 terms, the discriminator loss and R1.</summary>
    public static IReadOnlyList<string> LossTerms { get; } = ["total", "pix", "per", "adv", "sync", "deform", "disc", "r1"];

    private readonly TrainingRunOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public TrainingRun(TrainingRunOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The newest complete checkpoint directory under <paramref name="outputDirectory"/>, or null.</summary>
    public static string? LatestCheckpoint(string outputDirectory) => Checkpoints(outputDirectory).LastOrDefault();

    private static List<string> Checkpoints(string outputDirectory)
    {
        var folder = Path.Combine(outputDirectory, CheckpointsFolder);
        if (!Directory.Exists(folder)) return [];
        return [.. Directory.GetDirectories(folder, CheckpointPrefix + "*")
            .Where(d => File.Exists(Path.Combine(d, S3DNeRFCheckpoint.ManifestFile)))
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>Runs to <see cref="TrainingRunOptions.Steps"/> (or until cancelled, saving a checkpoint first).</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="InvalidOperationException">The output already holds a run and resume was not asked for, or no clip is usable.</exception>
    /// <exception cref="InvalidDataException">The checkpoint to resume was made with another config.</exception>
    public TrainingRunResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var errors = _options.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid training options: {string.Join("; ", errors)}");
        var output = _options.OutputDirectory;
        Directory.CreateDirectory(output);
        var latest = LatestCheckpoint(output);
        if (!_options.Resume && latest is not null)
        {
            throw new InvalidOperationException($"{output} already holds checkpoints (latest {latest}): pass --resume to continue it, or choose another output directory");
        }
        if (_options.Resume && latest is null) Log.NothingToResume(_logger, output);

        var config = _options.Config;
        var seed = _options.Seed;
        if (latest is not null)
        {
            var manifest = S3DNeRFCheckpoint.ReadManifest(latest);
            S3DNeRFCheckpoint.EnsureSameConfig(config, manifest.Config, latest);
            if (manifest.Seed != seed) Log.SeedIgnored(_logger, seed, manifest.Seed);
            seed = manifest.Seed;
        }

        var dataset = CorpusDataset.Open(_options.CorpusDirectory, CorpusDatasetOptions.For(config, _options.BatchSize, _options.ValidationFraction, seed), _logger);
        dataset.CheckFocalLength(config.FocalLength);
        if (dataset.TrainClips.Count == 0)
        {
            throw new InvalidOperationException($"{_options.CorpusDirectory} has no usable training clip ({dataset.Problems.Count} entries skipped)");
        }
        WriteSplit(Path.Combine(output, SplitFile), dataset, seed);
        var validationClips = dataset.ValidationClips;
        if (validationClips.Count == 0)
        {
            Log.NoValidationClips(_logger, dataset.TrainIdentities.Count);
            validationClips = dataset.TrainClips;
        }

        var perceptual = PerceptualLoss.Create(_options.PerceptualWeights, _logger);
        using var trainer = latest is null
            ? new S3DNeRFTrainer(config, _options.Trainer with { Seed = seed }, perceptual)
            : S3DNeRFCheckpoint.Resume(latest, perceptual, config);
        if (latest is not null)
        {
            Log.Resumed(_logger, latest, trainer.StepCount);
            if (_options.SyncWeights is not null) Log.SyncIgnoredOnResume(_logger, _options.SyncWeights);
        }
        else if (_options.SyncWeights is not null)
        {
            trainer.LoadLipSyncWeights(_options.SyncWeights);
        }
        else if (config.UseLipSyncLoss)
        {
            Log.UntrainedLipSync(_logger);
        }

        var resumedAt = latest is null ? (long?)null : trainer.StepCount;
        var losses = LossLog.Create(Path.Combine(output, LossesFile), LossTerms, resumedAt);
        var validation = LossLog.Create(Path.Combine(output, ValidationFile), ["psnr"], resumedAt);
        var firstStep = trainer.StepCount + 1;
        Log.Started(_logger, config.Preset, firstStep, _options.Steps, seed, output);

        var results = new List<TrainingStepResult>();
        var started = _time.GetTimestamp();
        var baseSeconds = losses.LastSeconds;
        string? lastCheckpoint = latest;
        var cancelled = false;
        while (trainer.StepCount < _options.Steps)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                if (trainer.StepCount >= firstStep) lastCheckpoint = SaveCheckpoint(trainer, output);
                break;
            }

            var step = trainer.StepCount + 1;
            TrainingStepResult result;
            using (NewDisposeScope())
            {
                result = trainer.Step(dataset.Batch(step));
            }
            results.Add(result);
            var seconds = baseSeconds + _time.GetElapsedTime(started).TotalSeconds;
            losses.Append(new LossRow(step, [.. LossTerms.Take(6).Select(t => result.Generator[t]), result.Discriminator, result.R1 ?? double.NaN], seconds));

            string? happened = null;
            if (step % _options.CheckpointEvery == 0 || step == _options.Steps)
            {
                lastCheckpoint = SaveCheckpoint(trainer, output);
                happened = "checkpoint";
            }
            if (_options.ValidateEvery > 0 && (step % _options.ValidateEvery == 0 || step == _options.Steps))
            {
                Validate(trainer, dataset, validationClips, validation, step, seconds, cancellationToken);
                happened = happened is null ? "validation" : happened + ", validation";
            }
            if (happened is not null) WritePlot(losses, output);

            var sessionSeconds = _time.GetElapsedTime(started).TotalSeconds;
            var rate = (step - firstStep + 1) / Math.Max(sessionSeconds, 1e-9);
            var losses9 = LossTerms.Take(6).ToDictionary(t => t, t => result.Generator[t]);
            losses9["disc"] = result.Discriminator;
            progress?.Report(new TrainingProgress(step, _options.Steps, rate, Seconds(seconds),
                Seconds((_options.Steps - step) / rate), losses9, happened));
        }
        WritePlot(losses, output);
        return new TrainingRunResult(firstStep, trainer.StepCount, results, lastCheckpoint, dataset.Problems, cancelled);
    }

    /// <summary>A duration that cannot overflow <see cref="TimeSpan"/> (an early ETA can be huge).</summary>
    internal static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Clamp(double.IsFinite(seconds) ? seconds : 0, 0, 1e9));

    private string SaveCheckpoint(S3DNeRFTrainer trainer, string output)
    {
        var folder = Path.Combine(output, CheckpointsFolder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{CheckpointPrefix}{trainer.StepCount:D8}");
        var final = Path.Combine(folder, name);
        var temporary = Path.Combine(folder, $".{name}.tmp");
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        S3DNeRFCheckpoint.Save(temporary, trainer);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temporary, final);
        Log.CheckpointSaved(_logger, final);
        var all = Checkpoints(output);
        foreach (var old in all.Take(Math.Max(0, all.Count - _options.KeepCheckpoints))) Directory.Delete(old, recursive: true);
        return final;
    }

    private void Validate(S3DNeRFTrainer trainer, CorpusDataset dataset, IReadOnlyList<DatasetClip> clips, LossLog validation, long step,
        double seconds, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(_options.OutputDirectory, ValidationFolder);
        Directory.CreateDirectory(folder);
        var name = string.Create(CultureInfo.InvariantCulture, $"{CheckpointPrefix}{step:D8}");
        var grid = ValidationRenderer.Grid(trainer.Model, dataset, clips, _options.ValidationClips);
        if (grid is { } g)
        {
            var path = Path.Combine(folder, name + ".png");
            g.Grid.Save(path);
            validation.Append(new LossRow(step, [g.Psnr], seconds));
            Log.ValidationWritten(_logger, step, path, g.Psnr);
        }
        if (_options.ValidationVideoSeconds > 0 && clips.FirstOrDefault(c => !dataset.IsBad(c)) is { } clip)
        {
            var reason = ValidationRenderer.Video(trainer.Model, dataset, clip, Path.Combine(folder, name + ".mp4"), _options.ValidationVideoSeconds,
                _options.Ffmpeg, cancellationToken);
            if (reason is not null) Log.VideoSkipped(_logger, reason);
        }
    }

    private static void WritePlot(LossLog losses, string output) =>
        LossPlot.Render(losses.Terms, losses.Rows, title: "s3d-nerf training loss").Save(Path.Combine(output, PlotFile));

    private static void WriteSplit(string path, CorpusDataset dataset, long seed)
    {
        var split = new Dictionary<string, object>
        {
            ["corpus"] = Path.GetFullPath(dataset.Reader.Root),
            ["seed"] = seed,
            ["validationFraction"] = dataset.Options.ValidationFraction,
            ["trainIdentities"] = dataset.TrainIdentities,
            ["validationIdentities"] = dataset.ValidationIdentities,
            ["trainClips"] = dataset.TrainClips.Select(c => c.Id).ToList(),
            ["validationClips"] = dataset.ValidationClips.Select(c => c.Id).ToList(),
            ["skipped"] = dataset.Problems.Select(p => p.ToString()).ToList(),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(split, SplitJson));
    }

    private static readonly JsonSerializerOptions SplitJson = new() { WriteIndented = true };
}
