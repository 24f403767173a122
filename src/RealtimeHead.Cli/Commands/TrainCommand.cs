using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Model;
using RealtimeHead.Torch;
using RealtimeHead.Training.Runs;

namespace RealtimeHead.Cli.Commands;

/// <summary>
/// <c>realtimehead train</c> (S3D-NeRF with the lip-sync discriminator frozen) and <c>realtimehead train sync</c>
/// (pre-training that discriminator). Progress and log lines go to stderr, the summary to stdout.
/// </summary>
internal static class TrainCommand
{
    private static readonly JsonSerializerOptions ConfigJson = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Command Create()
    {
        var defaults = new TrainingRunOptions { CorpusDirectory = "", OutputDirectory = "" };
        var corpus = CorpusOption();
        var output = OutputOption("Output directory: checkpoints/, losses.csv, losses.png, validation/, split.json.");
        var preset = PresetOption();
        var config = ConfigOption();
        var sync = new Option<FileInfo>("--sync") { Description = "Lip-sync discriminator weights from 'realtimehead train sync' (…/lipsync.safetensors)." };
        var vgg = new Option<FileInfo>("--vgg") { Description = "VGG19 features weights (safetensors) for the perceptual loss; default: the documented substitute." };
        var steps = new Option<long>("--steps") { Description = "Train until this step.", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Clips per batch (B).", DefaultValueFactory = _ => defaults.BatchSize };
        var checkpointEvery = new Option<long>("--checkpoint-every") { Description = "Save a checkpoint every N steps (and at the end).", DefaultValueFactory = _ => defaults.CheckpointEvery };
        var validateEvery = new Option<long>("--validate-every") { Description = "Render held-out clips every N steps (0 = never).", DefaultValueFactory = _ => defaults.ValidateEvery };
        var videoSeconds = new Option<double>("--video-seconds") { Description = "Length of the validation mp4 (0 = none).", DefaultValueFactory = _ => defaults.ValidationVideoSeconds };
        var resume = new Option<bool>("--resume") { Description = "Continue from the latest checkpoint in the output directory." };
        var seed = new Option<long>("--seed") { Description = "Seed of the initialisation, split and batches.", DefaultValueFactory = _ => defaults.Seed };
        var threads = ThreadsOption();

        var command = new Command("train", "Train S3D-NeRF on a corpus (lip-sync discriminator frozen); see also 'train sync'.")
        {
            corpus, output, preset, config, sync, vgg, steps, batch, checkpointEvery, validateEvery, videoSeconds, resume, seed, threads,
        };
        command.Subcommands.Add(CreateSync());
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var stdout = parse.InvocationConfiguration.Output;
            var model = await ResolveConfig(parse.GetValue(preset)!, parse.GetValue(config), stderr).ConfigureAwait(false);
            if (model is null) return 2;
            var options = new TrainingRunOptions
            {
                CorpusDirectory = parse.GetRequiredValue(corpus).FullName,
                OutputDirectory = parse.GetRequiredValue(output).FullName,
                Config = model,
                SyncWeights = parse.GetValue(sync)?.FullName,
                PerceptualWeights = parse.GetValue(vgg)?.FullName,
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                CheckpointEvery = parse.GetValue(checkpointEvery),
                ValidateEvery = parse.GetValue(validateEvery),
                ValidationVideoSeconds = parse.GetValue(videoSeconds),
                Resume = parse.GetValue(resume),
                Seed = parse.GetValue(seed),
            };
            if (await ReportErrors(options.Validate(), "train", stderr).ConfigureAwait(false)) return 2;
            SetThreads(parse.GetValue(threads));

            var display = new TrainingProgressDisplay(stderr, interactive: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
            var logger = new WriterLogger(stderr);
            return await Execute(stderr, display, async () =>
            {
                var result = await Task.Run(() => new TrainingRun(options, logger).Run(display, cancellationToken), CancellationToken.None).ConfigureAwait(false);
                display.Complete();
                var last = result.Steps.LastOrDefault();
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(result.Cancelled ? "Stopped" : "Trained")} to step {result.LastStep} (ran {result.Steps.Count} steps{(last is null ? "" : $", last total loss {last.Generator["total"]:G4}")}); checkpoint {result.LastCheckpoint ?? "(none)"}; {result.Problems.Count} corpus entries skipped")).ConfigureAwait(false);
                return result.Cancelled ? 130 : 0;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command CreateSync()
    {
        var defaults = new LipSyncTrainingOptions { CorpusDirectory = "", OutputDirectory = "" };
        var corpus = CorpusOption();
        var output = OutputOption($"Output directory: {LipSyncTrainingRun.WeightsFile}, {LipSyncTrainingRun.LossesFile}, {LipSyncTrainingRun.PlotFile}.");
        var preset = PresetOption();
        var config = ConfigOption();
        var steps = new Option<long>("--steps") { Description = "Optimisation steps.", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Triplets per step.", DefaultValueFactory = _ => defaults.BatchSize };
        var learningRate = new Option<double>("--lr") { Description = "Adam learning rate.", DefaultValueFactory = _ => defaults.LearningRate };
        var shift = new Option<int>("--min-shift") { Description = "Negatives are shifted by at least this many frames.", DefaultValueFactory = _ => defaults.MinimumShift };
        var seed = new Option<long>("--seed") { Description = "Seed of the initialisation, split and sampling.", DefaultValueFactory = _ => defaults.Seed };
        var threads = ThreadsOption();
        var command = new Command("sync", "Pre-train the lip-sync discriminator (S3D-NeRF Eq. 7 triplet loss) on a corpus.")
        {
            corpus, output, preset, config, steps, batch, learningRate, shift, seed, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            var stdout = parse.InvocationConfiguration.Output;
            var model = await ResolveConfig(parse.GetValue(preset)!, parse.GetValue(config), stderr).ConfigureAwait(false);
            if (model is null) return 2;
            var options = new LipSyncTrainingOptions
            {
                CorpusDirectory = parse.GetRequiredValue(corpus).FullName,
                OutputDirectory = parse.GetRequiredValue(output).FullName,
                Config = model,
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                LearningRate = parse.GetValue(learningRate),
                MinimumShift = parse.GetValue(shift),
                Seed = parse.GetValue(seed),
            };
            if (await ReportErrors(options.Validate(), "train sync", stderr).ConfigureAwait(false)) return 2;
            SetThreads(parse.GetValue(threads));

            var display = new TrainingProgressDisplay(stderr, interactive: ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
            var logger = new WriterLogger(stderr);
            return await Execute(stderr, display, async () =>
            {
                var result = await Task.Run(() => new LipSyncTrainingRun(options, logger).Run(display, cancellationToken), CancellationToken.None).ConfigureAwait(false);
                display.Complete();
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Lip-sync discriminator: {result.Steps} steps, held-out sync accuracy {result.ValidationAccuracy:P1}; weights {result.WeightsPath}")).ConfigureAwait(false);
                return result.Cancelled ? 130 : 0;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Option<int> ThreadsOption() => new("--threads")
    {
        Description = "libtorch intra-op threads (0 = one per core; Debian's libtorch would use 1).",
        DefaultValueFactory = _ => 0,
    };

    private static void SetThreads(int threads) => torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);

    private static Option<DirectoryInfo> CorpusOption() => new("--corpus")
    {
        Description = "Corpus directory in the dataset format (docs/dataset-format.md).",
        Required = true,
    };

    private static Option<DirectoryInfo> OutputOption(string description) => new("--output", "-o") { Description = description, Required = true };

    private static Option<string> PresetOption()
    {
        var option = new Option<string>("--preset") { Description = "Model size: tiny (CPU) or paper (GPU).", DefaultValueFactory = _ => "tiny" };
        option.AcceptOnlyFromAmong("tiny", "paper");
        return option;
    }

    private static Option<FileInfo> ConfigOption() => new("--config")
    {
        Description = "A JSON S3D-NeRF config (fields of S3DNeRFConfig) that overrides the preset's fields it names.",
    };

    /// <summary>The preset, with the fields of the --config JSON file laid over it; null (after an error line) when unusable.</summary>
    private static async Task<S3DNeRFConfig?> ResolveConfig(string preset, FileInfo? file, TextWriter stderr)
    {
        var config = S3DNeRFConfig.FromPreset(preset);
        if (file is null) return config;
        try
        {
            // Lay the file over the preset: serialise the preset, overwrite the named fields, read back.
            var node = JsonSerializer.SerializeToNode(config, ConfigJson)!.AsObject();
            var overrides = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(file.FullName).ConfigureAwait(false))?.AsObject()
                ?? throw new JsonException("not a JSON object");
            foreach (var (name, value) in overrides)
            {
                var key = node.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new JsonException($"unknown config field '{name}'");
                node[key] = value?.DeepClone();
            }
            return node.Deserialize<S3DNeRFConfig>(ConfigJson);
        }
        catch (Exception e) when (e is JsonException or IOException or InvalidOperationException)
        {
            await stderr.WriteLineAsync($"error: --config {file.FullName}: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<bool> ReportErrors(IReadOnlyList<string> errors, string name, TextWriter stderr)
    {
        if (errors.Count == 0) return false;
        foreach (var error in errors) await stderr.WriteLineAsync($"error: {ToOptionWording(error)}").ConfigureAwait(false);
        await stderr.WriteLineAsync($"See 'realtimehead {name} --help'.").ConfigureAwait(false);
        return true;
    }

    private static async Task<int> Execute(TextWriter stderr, TrainingProgressDisplay display, Func<Task<int>> run)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            display.Complete();
            await stderr.WriteLineAsync("Cancelled.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or InvalidOperationException
            or ArgumentException or NotSupportedException or CorpusFormatException)
        {
            display.Complete();
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>Rewords an options error with the option name users typed.</summary>
    private static string ToOptionWording(string error) => error
        .Replace("CheckpointEvery", "--checkpoint-every", StringComparison.Ordinal)
        .Replace("ValidateEvery", "--validate-every", StringComparison.Ordinal)
        .Replace("ValidationVideoSeconds", "--video-seconds", StringComparison.Ordinal)
        .Replace("SyncWeights", "--sync", StringComparison.Ordinal)
        .Replace("PerceptualWeights", "--vgg", StringComparison.Ordinal)
        .Replace("BatchSize", "--batch", StringComparison.Ordinal)
        .Replace("LearningRate", "--lr", StringComparison.Ordinal)
        .Replace("MinimumShift", "--min-shift", StringComparison.Ordinal)
        .Replace("Steps", "--steps", StringComparison.Ordinal);
}
