using System.CommandLine;
using System.Globalization;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Evaluation;
using RealtimeHead.Evaluation.Landmarks;
using RealtimeHead.Evaluation.Rendering;
using RealtimeHead.Evaluation.Sync;
using RealtimeHead.Model.Inference;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Cli.Commands;

/// <summary>
/// <c>realtimehead eval</c>: scores a model on held-out clips of a corpus and writes the markdown table;
/// <c>eval train-landmarks</c> and <c>eval train-sync</c> train the two evaluation networks it uses.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var corpus = CorpusOption();
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint") { Description = "S3D-NeRF checkpoint directory to evaluate." };
        var untrained = new Option<bool>("--untrained") { Description = "Evaluate a fresh untrained Tiny model (seed 20240) instead of a checkpoint." };
        var landmarks = new Option<FileInfo?>("--landmarks") { Description = "Landmark regressor from 'eval train-landmarks' (F-LMD / M-LMD are n/a without it)." };
        var sync = new Option<FileInfo?>("--sync") { Description = "Evaluation sync network from 'eval train-sync' (Sync is n/a without it)." };
        var clips = new Option<int>("--clips") { Description = "Held-out clips to evaluate (1-100000).", DefaultValueFactory = _ => new EvaluationOptions().Clips };
        var frames = new Option<int?>("--frames") { Description = "Most frames per clip (5-1000000; default all)." };
        var batch = new Option<int>("--batch") { Description = "Frames rendered per batch (1-256).", DefaultValueFactory = _ => 8 };
        var stillBaseline = new Option<bool>("--still-baseline") { Description = "Also score the source frame repeated for every frame (a still avatar): the floor an animated model must beat." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Markdown report to write.", Required = true };
        var command = new Command("eval", "Evaluate a talking-head model on held-out clips: PSNR, SSIM, F-LMD, M-LMD, CPBD, Sync conf/offset, fps.")
        {
            corpus, checkpoint, untrained, landmarks, sync, clips, frames, batch, stillBaseline, output,
        };
        command.Subcommands.Add(TrainLandmarksCommand());
        command.Subcommands.Add(TrainSyncCommand());

        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var checkpointDir = parse.GetValue(checkpoint);
            var isUntrained = parse.GetValue(untrained);
            var options = new EvaluationOptions { Clips = parse.GetValue(clips), MaxFramesPerClip = parse.GetValue(frames) };
            var errors = options.Validate().Select(e => e.Replace("MaxFramesPerClip", "--frames", StringComparison.Ordinal).Replace("Clips", "--clips", StringComparison.Ordinal)).ToList();
            if ((checkpointDir is null) == !isUntrained) errors.Add("give exactly one of --checkpoint DIR and --untrained");
            var batchSize = parse.GetValue(batch);
            if (batchSize is < 1 or > 256) errors.Add($"--batch must be in [1, 256], got {batchSize}");
            if (errors.Count > 0) return await Fail(stderr, errors, "eval").ConfigureAwait(false);

            try
            {
                var reader = CorpusReader.Open(parse.GetRequiredValue(corpus).FullName);
                var device = PickDevice();
                using var regressor = parse.GetValue(landmarks) is { } lf ? LandmarkRegressor.Load(lf.FullName) : null;
                using var syncNet = parse.GetValue(sync) is { } sf ? SyncNetwork.Load(sf.FullName) : null;
                regressor?.to(device);
                syncNet?.to(device);
                var model = S3DNeRFModelFactory.LoadDefault(checkpointDir?.FullName);
                model.to(device);
                using var inference = new S3DNeRFInference(model, ownsModel: true);
                var name = checkpointDir is null ? $"S3D-NeRF untrained ({model.Config.Preset}, seed {S3DNeRFModelFactory.DefaultSeed})" : $"S3D-NeRF ({checkpointDir.Name}, {model.Config.Preset})";
                IClipRenderer renderer = new S3DNeRFClipRenderer(inference, name, batchSize);
                IClipRenderer[] methods = parse.GetValue(stillBaseline) ? [new SourceFrameClipRenderer(renderer.OutputSize), renderer] : [renderer];
                var report = await Task.Run(() => new Evaluator(reader, options, regressor, syncNet, device).Run(methods, new SyncProgress<string>(stdout), cancellationToken), cancellationToken).ConfigureAwait(false);
                var path = parse.GetRequiredValue(output).FullName;
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var markdown = report.ToMarkdown();
                await File.WriteAllTextAsync(path, markdown, cancellationToken).ConfigureAwait(false);
                await stdout.WriteLineAsync(markdown).ConfigureAwait(false);
                await stdout.WriteLineAsync($"Wrote {path}").ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or CorpusFormatException or ArgumentException or InvalidOperationException or UnauthorizedAccessException or TorchException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Command TrainLandmarksCommand()
    {
        var defaults = new LandmarkTrainingOptions();
        var corpus = CorpusOption();
        var steps = new Option<int>("--steps") { Description = "Optimiser steps (1-1000000).", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Crops per step (1-1024).", DefaultValueFactory = _ => defaults.BatchSize };
        var resolution = new Option<int>("--resolution") { Description = "Frame side the held-out error is reported at (16-4096; use the evaluated model's output size).", DefaultValueFactory = _ => defaults.ReportResolution };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => defaults.Seed };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate (0-1].", DefaultValueFactory = _ => defaults.LearningRate };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Regressor file to write (safetensors).", Required = true };
        var command = new Command("train-landmarks", "Train the evaluation's 68-point landmark regressor on a corpus; reports its error on held-out identities.")
        {
            corpus, steps, batch, resolution, seed, lr, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var options = new LandmarkTrainingOptions
            {
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                ReportResolution = parse.GetValue(resolution),
                Seed = parse.GetValue(seed),
                LearningRate = parse.GetValue(lr),
            };
            var errors = options.Validate().Select(e => e.Replace("Steps", "--steps", StringComparison.Ordinal).Replace("BatchSize", "--batch", StringComparison.Ordinal)
                .Replace("ReportResolution", "--resolution", StringComparison.Ordinal).Replace("LearningRate", "--lr", StringComparison.Ordinal)).ToList();
            if (errors.Count > 0) return await Fail(stderr, errors, "eval train-landmarks").ConfigureAwait(false);
            try
            {
                var reader = CorpusReader.Open(parse.GetRequiredValue(corpus).FullName);
                var progress = new SyncProgress<(int Step, double Loss)>(stdout, options.Steps);
                var result = await Task.Run(() => LandmarkTraining.Train(reader, options, PickDevice(), progress, cancellationToken), cancellationToken).ConfigureAwait(false);
                using var regressor = result.Regressor;
                var path = parse.GetRequiredValue(output).FullName;
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                regressor.Save(path);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Held-out error ({result.HeldOutFrames} frames{(result.DisjointIdentities ? "" : ", NOT held out: one identity")}): {result.HeldOutFaceError:F3} px all points, {result.HeldOutMouthError:F3} px mouth at {result.Resolution}x{result.Resolution}; final loss {result.FinalLoss:G4}. Wrote {path}")).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is IOException or CorpusFormatException or ArgumentException or UnauthorizedAccessException or TorchException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Command TrainSyncCommand()
    {
        var defaults = new SyncTrainingOptions();
        var corpus = CorpusOption();
        var steps = new Option<int>("--steps") { Description = "Optimiser steps (1-1000000).", DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch") { Description = "Video windows per step (2-1024).", DefaultValueFactory = _ => defaults.BatchSize };
        var seed = new Option<int>("--seed") { Description = "Seed (keep it different from the generator's).", DefaultValueFactory = _ => defaults.Seed };
        var lr = new Option<double>("--lr") { Description = "Adam learning rate (0-1].", DefaultValueFactory = _ => defaults.LearningRate };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Sync network file to write (safetensors).", Required = true };
        var command = new Command("train-sync", "Train the evaluation sync network (SyncNet-style, multi-way matching) on a corpus; scores held-out identities.")
        {
            corpus, steps, batch, seed, lr, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var options = new SyncTrainingOptions { Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), Seed = parse.GetValue(seed), LearningRate = parse.GetValue(lr) };
            var errors = options.Validate().Select(e => e.Replace("Steps", "--steps", StringComparison.Ordinal).Replace("BatchSize", "--batch", StringComparison.Ordinal).Replace("LearningRate", "--lr", StringComparison.Ordinal)).ToList();
            if (errors.Count > 0) return await Fail(stderr, errors, "eval train-sync").ConfigureAwait(false);
            try
            {
                var reader = CorpusReader.Open(parse.GetRequiredValue(corpus).FullName);
                var progress = new SyncProgress<(int Step, double Loss)>(stdout, options.Steps);
                var result = await Task.Run(() => SyncTraining.Train(reader, options, PickDevice(), progress, cancellationToken), cancellationToken).ConfigureAwait(false);
                using var network = result.Network;
                var path = parse.GetRequiredValue(output).FullName;
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                network.Save(path);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Held-out clips {result.HeldOutClips}{(result.DisjointIdentities ? "" : " (NOT held out: one identity)")}: {result.HeldOutWithinOneFrame:P0} with offset within ±1 frame, mean confidence {result.HeldOutConfidence:F3}; final loss {result.FinalLoss:G4}. Wrote {path}")).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is IOException or CorpusFormatException or ArgumentException or UnauthorizedAccessException or TorchException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static Option<DirectoryInfo> CorpusOption() => new("--corpus") { Description = "Corpus directory (docs/dataset-format.md).", Required = true };

    /// <summary>The GPU when libtorch sees one, else the CPU with one intra-op thread per core (Debian's libtorch defaults to 1).</summary>
    private static Device PickDevice()
    {
        if (cuda.is_available()) return CUDA;
        set_num_threads(Environment.ProcessorCount);
        return CPU;
    }

    private static async Task<int> Fail(TextWriter stderr, IReadOnlyList<string> errors, string command)
    {
        foreach (var error in errors) await stderr.WriteLineAsync($"error: {error}").ConfigureAwait(false);
        await stderr.WriteLineAsync($"See 'realtimehead {command} --help'.").ConfigureAwait(false);
        return 2;
    }

    /// <summary>Writes progress synchronously (training steps every 10 %, or lines as they come).</summary>
    private sealed class SyncProgress<T>(TextWriter output, int total = 0) : IProgress<T>
    {
        private int _lastDecile = -1;

        public void Report(T value)
        {
            if (value is ValueTuple<int, double> step)
            {
                var decile = total == 0 ? 0 : step.Item1 * 10 / total;
                if (decile == _lastDecile) return;
                _lastDecile = decile;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"step {step.Item1}/{total}  loss {step.Item2:G4}"));
                return;
            }
            output.WriteLine(value);
        }
    }
}
