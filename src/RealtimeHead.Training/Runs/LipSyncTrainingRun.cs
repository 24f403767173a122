using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model;
using RealtimeHead.Model.Discriminators;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using RealtimeHead.Torch.Serialization;
using RealtimeHead.Training.Data;
using RealtimeHead.Training.Reporting;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Training.Runs;

/// <summary>
/// <c>realtimehead train sync</c>: pre-trains the lip-sync discriminator of S3D-NeRF Sec. 3.4 on ground-truth frames with
/// the contrastive triplet loss of Eq. 7. A positive pairs the lower-face crops of T consecutive frames (the lip boxes
/// from landmarks 48–67) with the audio spanning them; the negatives are the same clip shifted by at least
/// <see cref="LipSyncTrainingOptions.MinimumShift"/> frames: its audio against the lips (term 1) and its lips against the
/// audio (term 2). The crops have the size <see cref="Model.Training.S3DNeRFTrainer"/> uses (S/4 × S/2, at least 16), so the saved
/// weights load into the trainer (<c>realtimehead train --sync</c>).
/// <para>Writes <see cref="WeightsFile"/> (safetensors, with the preset and sizes in its metadata), <c>sync_losses.csv</c>
/// (step, loss, batch accuracy: the share of triplets whose positive audio is closer than the negative) and a plot.</para>
/// </summary>
public sealed partial class LipSyncTrainingRun
{
    public const string WeightsFile = "lipsync.safetensors";
    public const string LossesFile = "sync_losses.csv";
    public const string PlotFile = "sync_losses.png";

    private readonly LipSyncTrainingOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public LipSyncTrainingRun(LipSyncTrainingOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Lip crop height the trainer uses for <paramref name="config"/> (see <see cref="Model.Training.S3DNeRFTrainer.LipCropHeight"/>).</summary>
    public static int CropHeight(S3DNeRFConfig config) => Math.Max(16, config.ImageSize / 4);

    /// <summary>Lip crop width the trainer uses for <paramref name="config"/>.</summary>
    public static int CropWidth(S3DNeRFConfig config) => Math.Max(16, config.ImageSize / 2);

    /// <summary>Trains for <see cref="LipSyncTrainingOptions.Steps"/> steps (or until cancelled) and saves the weights.</summary>
    public LipSyncTrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var errors = _options.Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid lip-sync training options: {string.Join("; ", errors)}");
        var config = _options.Config;
        Directory.CreateDirectory(_options.OutputDirectory);
        var dataset = CorpusDataset.Open(_options.CorpusDirectory,
            CorpusDatasetOptions.For(config, _options.BatchSize, _options.ValidationFraction, _options.Seed), _logger);
        if (dataset.TrainClips.Count == 0)
        {
            throw new InvalidOperationException($"{_options.CorpusDirectory} has no usable training clip ({dataset.Problems.Count} entries skipped)");
        }

        manual_seed(_options.Seed);
        var (height, width) = (CropHeight(config), CropWidth(config));
        using var discriminator = new LipSyncDiscriminator(config, height, width);
        using var optimizer = new Adam(discriminator.parameters(), _options.LearningRate, 0.9, 0.999);
        var losses = LossLog.Create(Path.Combine(_options.OutputDirectory, LossesFile), ["loss", "accuracy"]);
        var weights = Path.Combine(_options.OutputDirectory, WeightsFile);
        Log.Started(_logger, config.Preset, _options.Steps, dataset.TrainClips.Count, height, width);

        var started = _time.GetTimestamp();
        var results = new List<(double Loss, double Accuracy)>();
        long step = 0;
        while (step < _options.Steps && !cancellationToken.IsCancellationRequested)
        {
            step++;
            manual_seed(unchecked(_options.Seed * 1_000_003L + step));
            double loss, accuracy;
            using (NewDisposeScope())
            {
                discriminator.train();
                var (lips, audioPositive, lipsNegative, audioNegative) = Triplets(dataset, dataset.TrainClips, step, height, width);
                var lipEmbedding = discriminator.EmbedLips(lips);
                var positive = discriminator.EmbedAudio(audioPositive);
                var negative = discriminator.EmbedAudio(audioNegative);
                var lipNegative = discriminator.EmbedLips(lipsNegative);
                var value = LipSyncDiscriminator.TripletLoss(lipEmbedding, positive, negative, lipEmbedding, lipNegative);
                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                loss = value.item<double>();
                accuracy = Accuracy(lipEmbedding.detach(), positive.detach(), negative.detach());
            }
            results.Add((loss, accuracy));
            var seconds = _time.GetElapsedTime(started).TotalSeconds;
            losses.Append(new LossRow(step, [loss, accuracy], seconds));
            string? happened = null;
            if (step % _options.SaveEvery == 0 || step == _options.Steps)
            {
                Save(discriminator, weights, step);
                happened = "checkpoint";
            }
            var rate = step / Math.Max(seconds, 1e-9);
            progress?.Report(new TrainingProgress(step, _options.Steps, rate, TrainingRun.Seconds(seconds), TrainingRun.Seconds((_options.Steps - step) / rate),
                new Dictionary<string, double> { ["loss"] = loss, ["accuracy"] = accuracy }, happened));
        }
        if (step % _options.SaveEvery != 0 && step != _options.Steps) Save(discriminator, weights, step);

        // Held-out sync accuracy: fixed draws from the validation identities (training clips when none is held out).
        double? validationAccuracy = null;
        var heldOut = dataset.ValidationClips.Count > 0 ? dataset.ValidationClips : dataset.TrainClips;
        using (NewDisposeScope())
        using (no_grad())
        {
            discriminator.eval();
            var (lips, audioPositive, _, audioNegative) = Triplets(dataset, heldOut, -1, height, width);
            validationAccuracy = Accuracy(discriminator.EmbedLips(lips), discriminator.EmbedAudio(audioPositive), discriminator.EmbedAudio(audioNegative));
        }
        LossPlot.Render(losses.Terms, losses.Rows, title: "lip-sync discriminator").Save(Path.Combine(_options.OutputDirectory, PlotFile));
        Log.Finished(_logger, step, weights, validationAccuracy.Value);
        return new LipSyncTrainingResult(step, weights, results, validationAccuracy.Value, dataset.Problems, cancellationToken.IsCancellationRequested);
    }

    /// <summary>Share of triplets whose positive audio embedding is closer to the lips than the negative one.</summary>
    private static double Accuracy(Tensor lips, Tensor positive, Tensor negative)
    {
        using var scope = NewDisposeScope();
        return LipSyncDiscriminator.Similarity(lips, positive).gt(LipSyncDiscriminator.Similarity(lips, negative)).to(ScalarType.Float32).mean().item<double>();
    }

    /// <summary>
    /// B triplets for draw <paramref name="index"/>: lips [B, T, 3, h, w] and audio [B, W', F] of aligned windows, and lips and
    /// audio of windows shifted by at least MinimumShift frames (another clip when the clip is too short for that).
    /// </summary>
    private (Tensor Lips, Tensor Audio, Tensor NegativeLips, Tensor NegativeAudio) Triplets(CorpusDataset dataset, IReadOnlyList<DatasetClip> clips,
        long index, int height, int width)
    {
        var t = dataset.Options.Frames;
        var windows = dataset.SampleWindows(clips, index, dataset.Options.BatchSize);
        var random = new Random(CorpusDataset.MixSeed(_options.Seed, ~index));
        var negatives = new List<LoadedWindow>();
        foreach (var window in windows)
        {
            LoadedWindow? negative = null;
            for (var attempt = 0; attempt < 100 && negative is null; attempt++)
            {
                var clip = window.Clip;
                var starts = Enumerable.Range(0, clip.FrameCount - t + 1).Where(s => Math.Abs(s - window.Start) >= _options.MinimumShift).ToList();
                if (starts.Count == 0)
                {
                    // Too short to shift within the clip: any other clip's audio is off-sync too.
                    var others = clips.Where(c => c.Id != clip.Id && !dataset.IsBad(c)).ToList();
                    if (others.Count == 0) throw new InvalidOperationException($"clip {clip.Id} has {clip.FrameCount} frames: a shift of {_options.MinimumShift} frames needs at least {t + _options.MinimumShift}, and there is no other clip");
                    clip = others[random.Next(others.Count)];
                    starts = [.. Enumerable.Range(0, clip.FrameCount - t + 1)];
                }
                negative = dataset.TryLoadWindow(clip, starts[random.Next(starts.Count)], t);
            }
            negatives.Add(negative ?? throw new InvalidOperationException("no negative window could be loaded (see the reported problems)"));
        }

        Tensor Lips(IReadOnlyList<LoadedWindow> set)
        {
            var boxes = new float[set.Count * t * 4];
            for (var i = 0; i < set.Count; i++) set[i].Clip.LipBoxes.AsSpan(set[i].Start * 4, t * 4).CopyTo(boxes.AsSpan(i * t * 4));
            return LipCrop.Crop(stack(set.Select(w => w.Targets).ToList(), 0), tensor(boxes, [set.Count, t, 4]), height, width);
        }

        Tensor Audio(IReadOnlyList<LoadedWindow> set) => stack(set.Select(w => dataset.SyncAudio(w.Clip, w.Start, t)).ToList(), 0);

        return (Lips(windows), Audio(windows), Lips(negatives), Audio(negatives));
    }

    private void Save(LipSyncDiscriminator discriminator, string path, long step)
    {
        var config = _options.Config;
        var temporary = path + ".tmp";
        discriminator.save(temporary, new Dictionary<string, string>
        {
            ["preset"] = config.Preset,
            ["imageSize"] = config.ImageSize.ToString(CultureInfo.InvariantCulture),
            ["lipSyncFrames"] = config.LipSyncFrames.ToString(CultureInfo.InvariantCulture),
            ["cropHeight"] = CropHeight(config).ToString(CultureInfo.InvariantCulture),
            ["cropWidth"] = CropWidth(config).ToString(CultureInfo.InvariantCulture),
            ["step"] = step.ToString(CultureInfo.InvariantCulture),
            ["seed"] = _options.Seed.ToString(CultureInfo.InvariantCulture),
        });
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>What a <see cref="LipSyncTrainingRun"/> did.</summary>
/// <param name="Steps">Steps completed.</param>
/// <param name="WeightsPath">The saved discriminator (safetensors).</param>
/// <param name="Losses">(triplet loss, batch accuracy) per step.</param>
/// <param name="ValidationAccuracy">Share of held-out triplets ranked correctly at the end.</param>
/// <param name="Problems">Corpus entries skipped.</param>
/// <param name="Cancelled">Stopped early by the cancellation token.</param>
public sealed record LipSyncTrainingResult(long Steps, string WeightsPath, IReadOnlyList<(double Loss, double Accuracy)> Losses, double ValidationAccuracy,
    IReadOnlyList<CorpusProblem> Problems, bool Cancelled);
