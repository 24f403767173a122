using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using RealtimeHead.Corpus;

namespace RealtimeHead.Cli.Commands;

/// <summary><c>realtimehead corpus make</c>: writes a synthetic corpus in the dataset format.</summary>
internal static class CorpusMakeCommand
{
    public static Command Create()
    {
        var defaults = new CorpusOptions();
        var identities = new Option<int>("--identities", "-n")
        {
            Description = "Number of synthetic people (1-100000).",
            DefaultValueFactory = _ => defaults.Identities,
        };
        var clips = new Option<int>("--clips")
        {
            Description = "Clips per person (1-1000).",
            DefaultValueFactory = _ => defaults.ClipsPerIdentity,
        };
        var seconds = new Option<double>("--seconds", "-s")
        {
            Description = "Length of each clip in seconds (0.04-3600; rounded to 25 fps frames).",
            DefaultValueFactory = _ => defaults.SecondsPerClip,
        };
        var size = new Option<int>("--size")
        {
            Description = "Side of the square frames in pixels (16-2048).",
            DefaultValueFactory = _ => defaults.ImageSize,
        };
        var seed = new Option<int>("--seed")
        {
            Description = "Corpus seed; the same seed and options give byte-identical files.",
            DefaultValueFactory = _ => defaults.Seed,
        };
        var motion = new Option<double>("--motion")
        {
            Description = "Scale of natural head motion (0 = frozen frontal head, 0-3).",
            DefaultValueFactory = _ => defaults.MotionScale,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Rendering threads (-1 = all cores).",
            DefaultValueFactory = _ => defaults.MaxDegreeOfParallelism,
        };
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Output directory (must not exist or be empty).",
            Required = true,
        };

        var command = new Command("make", "Generate a synthetic talking-head corpus (frames, masks, 16 kHz audio, poses, landmarks, phonemes).")
        {
            identities, clips, seconds, size, seed, motion, threads, output,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new CorpusOptions
            {
                Identities = parse.GetValue(identities),
                ClipsPerIdentity = parse.GetValue(clips),
                SecondsPerClip = parse.GetValue(seconds),
                ImageSize = parse.GetValue(size),
                Seed = parse.GetValue(seed),
                MotionScale = parse.GetValue(motion),
                MaxDegreeOfParallelism = parse.GetValue(threads),
            };
            var directory = parse.GetRequiredValue(output).FullName;
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;

            // Range problems are reported together, before anything is written.
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    await stderr.WriteLineAsync($"error: {ToOptionWording(error)}").ConfigureAwait(false);
                }

                await stderr.WriteLineAsync("See 'realtimehead corpus make --help'.").ConfigureAwait(false);
                return 2;
            }

            var display = new ProgressDisplay(stdout, interactive: ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);
            var watch = Stopwatch.StartNew();
            try
            {
                var manifest = await Task.Run(() => new CorpusGenerator(options).Generate(directory, display, cancellationToken), cancellationToken).ConfigureAwait(false);
                display.Complete();
                var frames = manifest.Clips.Sum(c => c.FrameCount);
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Wrote {manifest.Clips.Count} clips, {frames} frames ({frames / Math.Max(watch.Elapsed.TotalSeconds, 1e-9):F1} frames/s) to {directory}")).ConfigureAwait(false);
                return 0;
            }
            catch (OperationCanceledException)
            {
                display.Complete();
                await stderr.WriteLineAsync($"Cancelled; {directory} holds a partial corpus without corpus.json.").ConfigureAwait(false);
                return 130;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or InvalidOperationException or ArgumentException)
            {
                display.Complete();
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    /// <summary>Rewords an options error ("Identities must be …") with the option name users typed.</summary>
    private static string ToOptionWording(string error) => error
        .Replace("ClipsPerIdentity", "--clips", StringComparison.Ordinal)
        .Replace("Identities", "--identities", StringComparison.Ordinal)
        .Replace("SecondsPerClip", "--seconds", StringComparison.Ordinal)
        .Replace("ImageSize", "--size", StringComparison.Ordinal)
        .Replace("MotionScale", "--motion", StringComparison.Ordinal)
        .Replace("MaxDegreeOfParallelism", "--threads", StringComparison.Ordinal);
}
