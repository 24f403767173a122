using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Audio;
using RealtimeHead.Audio.Features;
using RealtimeHead.Audio.Resampling;
using RealtimeHead.Audio.Vad;
using RealtimeHead.Pipeline.Offline;
using RealtimeHead.Rendering;

namespace RealtimeHead.Cli.Render;

/// <summary>
/// <c>realtimehead render</c>: a portrait and a voice to an mp4, through the server's own streaming pipeline run offline
/// (<see cref="OfflinePipelineRunner"/>: same session, scheduler, front-end, voice gate and resampler, on a virtual clock,
/// as fast as the model renders). Exit codes: 0 written; 1 an input or the model cannot be used, or encoding failed
/// (nothing is left at the output path); 2 usage errors; 130 cancelled.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(RenderModelFactory models)
    {
        var portrait = new Option<string>("--portrait", "-p")
        {
            Description = "Portrait image (PNG or JPEG); centre-cropped to a square and resized to the model's frame size.",
            Required = true,
        };
        var audio = new Option<string>("--audio", "-a")
        {
            Description = "The voice: a 48 kHz WAV is read directly, anything else (other WAVs, MP3, Ogg, M4A ...) is decoded by ffmpeg.",
            Required = true,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "The mp4 to write (H.264 + AAC, 25 fps); its directory must exist. Replaced only once complete.",
            Required = true,
        };
        var preset = new Option<string?>("--preset")
        {
            Description = "Model size when no checkpoint says otherwise (default tiny).",
        };
        preset.AcceptOnlyFromAmong(DefaultRenderModels.Presets);
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "Checkpoint directory of a trained model (default: the bundled trained tiny model beside the application).",
        };
        var pose = new Option<string?>("--pose")
        {
            Description = "Head pose added to the idle motion: yaw,pitch,roll in degrees (each -60 to 60), e.g. 10,-5,0.",
        };
        var frontEnd = new Option<string>("--front-end")
        {
            Description = "Speech features: log-mel (80 bins) or wav2vec2 (needs --wav2vec2); must match the model.",
            DefaultValueFactory = _ => "log-mel",
        };
        frontEnd.AcceptOnlyFromAmong("log-mel", "wav2vec2");
        var wav2vec2 = new Option<string?>("--wav2vec2")
        {
            Description = "wav2vec2 ONNX model for --front-end wav2vec2.",
        };
        var vad = new Option<string?>("--vad")
        {
            Description = "Silero VAD ONNX model gating the mouth on speech (default: an energy gate).",
        };

        var command = new Command("render", "Render a talking-head video of a portrait speaking an audio file.")
        {
            portrait, audio, output, preset, checkpoint, pose, frontEnd, wav2vec2, vad,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Settings(
                parse.GetRequiredValue(portrait), parse.GetRequiredValue(audio), parse.GetRequiredValue(output),
                parse.GetValue(preset), parse.GetValue(checkpoint), parse.GetValue(pose), parse.GetValue(frontEnd) ?? "log-mel",
                parse.GetValue(wav2vec2), parse.GetValue(vad));
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                await RunAsync(settings, models, stdout, stderr, cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (RenderInputException e)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                if (e.ExitCode == 2)
                {
                    await stderr.WriteLineAsync("See 'realtimehead render --help'.").ConfigureAwait(false);
                }

                return e.ExitCode;
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync($"Cancelled; nothing was written to {settings.Output}.").ConfigureAwait(false);
                return 130;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
                or TimeoutException or DllNotFoundException or EntryPointNotFoundException)
            {
                await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        });
        return command;
    }

    private static async Task RunAsync(Settings settings, RenderModelFactory models, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellationToken)
    {
        // Usage first, then the cheap input checks, then the model: a typo never costs a model load.
        if (settings.FrontEnd == "wav2vec2" && string.IsNullOrEmpty(settings.Wav2Vec2))
        {
            throw new RenderInputException("--front-end wav2vec2 needs --wav2vec2 FILE.onnx.", 2);
        }

        if (settings.FrontEnd != "wav2vec2" && !string.IsNullOrEmpty(settings.Wav2Vec2))
        {
            throw new RenderInputException("--wav2vec2 is only used with --front-end wav2vec2.", 2);
        }

        var basePose = ParsePose(settings.Pose);
        var outputPath = CheckOutput(settings.Output);
        CheckFile("--wav2vec2", settings.Wav2Vec2);
        CheckFile("--vad", settings.Vad);
        if (settings.Checkpoint is { } directory && !Directory.Exists(directory))
        {
            throw new RenderInputException($"--checkpoint {directory}: directory not found.");
        }

        var watch = Stopwatch.StartNew();
        var voice = await AudioInput.LoadAsync(settings.Audio, cancellationToken).ConfigureAwait(false);
        if (!File.Exists(settings.Portrait))
        {
            throw new RenderInputException($"--portrait {settings.Portrait}: file not found.");
        }

        var model = models(new RenderModelRequest(settings.Preset, settings.Checkpoint));
        using var renderer = model.Renderer;
        if (model.Notice is { } notice)
        {
            await stderr.WriteLineAsync($"notice: {notice}").ConfigureAwait(false);
        }

        var image = PortraitInput.Load(settings.Portrait, renderer.FrameSize);
        using var wav2vec2 = settings.Wav2Vec2 is { } wav2vec2Path ? new Wav2Vec2Model(new Wav2Vec2Options { ModelPath = wav2vec2Path }) : null;
        using var frontEnd = CreateFrontEnd(settings, wav2vec2, renderer);
        using var vadModel = settings.Vad is { } vadPath ? new SileroVadModel(new SileroVadOptions { ModelPath = vadPath }) : null;
        using var detector = vadModel is null ? null : new SileroVad(vadModel);
        using var encoding = renderer.EncodePortrait(Path.GetFileName(settings.Portrait), image.Pixels, image.Width, image.Height);

        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"render: {model.Description}; {voice.Length / 48_000.0:F2} s of audio; {frontEnd.Name} features; {(detector is null ? "energy" : "Silero")} voice gate")).ConfigureAwait(false);
        var options = new OfflineRenderOptions
        {
            BasePose = basePose,
            Session = new Pipeline.PipelineSessionOptions { AudioWindowFrames = renderer.AudioWindowFrames },
        };
        var writer = Mp4Writer.Create(outputPath, renderer.FrameSize, renderer.FrameSize, options.Scheduler.FrameRate);
        await using (writer.ConfigureAwait(false))
        {
            var result = await OfflinePipelineRunner.RunAsync(renderer, encoding, frontEnd, detector, new Resampler(), voice, writer,
                options, new RenderProgressDisplay(stderr), loggerFactory: NullLoggerFactory.Instance,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            var fps = options.Scheduler.FrameRate;
            var seconds = result.VideoFrames / (double)fps;
            var rate = result.VideoFrames / Math.Max(result.Elapsed.TotalSeconds, 1e-9);
            var filled = result.FilledFrames > 0 ? $"; {result.FilledFrames} dropped frames repeat the one before" : string.Empty;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {outputPath}: {result.VideoFrames} frames ({seconds:F2} s) {renderer.FrameSize}x{renderer.FrameSize} at {fps} fps, {Mp4Writer.EncoderName} + AAC, in {watch.Elapsed.TotalSeconds:F1} s ({rate:F1} frames/s){filled}"))
                .ConfigureAwait(false);
        }
    }

    /// <summary>"yaw,pitch,roll" in degrees to radians; null for frontal.</summary>
    internal static HeadPose ParsePose(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return HeadPose.Frontal;
        }

        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var angles = new float[3];
        var valid = parts.Length == 3;
        for (var i = 0; valid && i < 3; i++)
        {
            valid = float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out angles[i]);
        }

        if (!valid)
        {
            throw new RenderInputException($"--pose '{text}': expected yaw,pitch,roll in degrees, e.g. 10,-5,0.");
        }

        string[] names = ["yaw", "pitch", "roll"];
        for (var i = 0; i < 3; i++)
        {
            if (!float.IsFinite(angles[i]) || MathF.Abs(angles[i]) > 60)
            {
                throw new RenderInputException(string.Create(CultureInfo.InvariantCulture,
                    $"--pose '{text}': {names[i]} {angles[i]}° is outside -60° to 60°."));
            }
        }

        const float ToRadians = MathF.PI / 180;
        return new HeadPose(angles[0] * ToRadians, angles[1] * ToRadians, angles[2] * ToRadians);
    }

    private static string CheckOutput(string output)
    {
        var full = Path.GetFullPath(output);
        if (Directory.Exists(full))
        {
            throw new RenderInputException($"--output {output}: is a directory; name the mp4 to write.");
        }

        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new RenderInputException($"--output {output}: the directory {directory} does not exist.");
        }

        return full;
    }

    private static void CheckFile(string option, string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            throw new RenderInputException($"{option} {path}: file not found.");
        }
    }

    private static IAudioFrontEnd CreateFrontEnd(Settings settings, Wav2Vec2Model? wav2vec2, ITalkingHeadRenderer renderer)
    {
        IAudioFrontEnd frontEnd = wav2vec2 is not null ? new Wav2Vec2FrontEnd(wav2vec2) : new LogMelFrontEnd();
        if (frontEnd.FeatureDim != renderer.AudioFeatureDim)
        {
            var made = frontEnd.FeatureDim;
            frontEnd.Dispose();
            throw new RenderInputException(
                $"--front-end {settings.FrontEnd}: it makes {made}-dim features but the model takes {renderer.AudioFeatureDim} " +
                $"({(renderer.AudioFeatureDim == 768 ? "use --front-end wav2vec2 with a wav2vec2-base model" : "use --front-end log-mel")}).");
        }

        return frontEnd;
    }

    private sealed record Settings(string Portrait, string Audio, string Output, string? Preset, string? Checkpoint, string? Pose,
        string FrontEnd, string? Wav2Vec2, string? Vad);
}
