using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using RealtimeHead.Audio.IO;
using RealtimeHead.Cli.Render;
using RealtimeHead.Imaging;
using RealtimeHead.Rendering;

namespace RealtimeHead.Cli.Tests.Render;

/// <summary>Inputs for render tests (espeak-ng speech, portraits) and an ffprobe reader for the output.</summary>
internal static class RenderTestSupport
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(RenderModelFactory? models, CancellationToken cancellationToken,
        params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await CliApplication.RunAsync(args, new InvocationConfiguration { Output = stdout, Error = stderr }, models, cancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>espeak-ng speech (22.05 kHz WAV: decoded through ffmpeg by the command).</summary>
    public static string Speech(string directory, string text, string name = "speech.wav")
    {
        var path = Path.Combine(directory, name);
        Run("espeak-ng", "-w", path, "-s", "190", text);
        return path;
    }

    /// <summary>A 48 kHz mono WAV (read directly by the command) of <paramref name="seconds"/> of a warbling tone.</summary>
    public static string Tone48k(string directory, double seconds, string name = "tone.wav")
    {
        var samples = new float[(int)(seconds * 48_000)];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = i / 48_000.0;
            samples[i] = (float)(0.4 * (0.55 + (0.45 * Math.Sin(2 * Math.PI * 3 * t))) * Math.Sin(2 * Math.PI * 220 * t));
        }

        var path = Path.Combine(directory, name);
        WavFile.Write(path, new WavAudio(48_000, 1, samples));
        return path;
    }

    /// <summary>A landscape PNG portrait (a face-coloured disc on a blue background).</summary>
    public static string Portrait(string directory, int width = 96, int height = 72, string name = "face.png")
    {
        var image = new RgbImage(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var inside = Math.Pow(x - (width / 2.0), 2) + Math.Pow(y - (height / 2.0), 2) < Math.Pow(height / 3.0, 2);
                var o = ((y * width) + x) * 3;
                (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]) = inside ? ((byte)224, (byte)172, (byte)140) : ((byte)30, (byte)60, (byte)160);
            }
        }

        var path = Path.Combine(directory, name);
        image.Save(path);
        return path;
    }

    /// <summary>Duration of an audio file according to ffprobe.</summary>
    public static double AudioSeconds(string path) => Probe(path).GetProperty("format").GetProperty("duration").GetString() is { } text
        ? double.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
        : throw new InvalidDataException("no duration");

    /// <summary>ffprobe's JSON of a file's format and streams.</summary>
    public static JsonElement Probe(string path)
    {
        var json = Run("ffprobe", "-v", "error", "-count_frames", "-show_entries",
            "format=duration:stream=codec_type,codec_name,width,height,r_frame_rate,nb_read_frames,sample_rate,duration",
            "-of", "json", path);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public static JsonElement Stream(JsonElement probe, string type) =>
        probe.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == type);

    private static string Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} failed: {errors.Result}");
        return output;
    }
}

/// <summary>
/// A renderer for the command's plumbing: paints each frame with the portrait's mean colour, brightened by the centre
/// feature frame's mean, so frames differ with the audio. Counts renders; can cancel a token after some.
/// </summary>
internal sealed class PaintingRenderer(int frameSize = 32, int featureDim = 80) : ITalkingHeadRenderer
{
    private int _frames;

    public int FrameSize { get; } = frameSize;

    public int AudioWindowFrames => 16;

    public int AudioFeatureDim { get; } = featureDim;

    public int FramesRendered => Volatile.Read(ref _frames);

    public (int Width, int Height, byte[] Rgb)? Portrait { get; private set; }

    public CancellationTokenSource? CancelAfter { get; init; }

    public int CancelAfterFrames { get; init; } = int.MaxValue;

    public bool Disposed { get; private set; }

    public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height)
    {
        Portrait = (width, height, rgb.ToArray());
        return new Encoding(portraitId);
    }

    public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch)
    {
        if (Interlocked.Add(ref _frames, batch.Count) >= CancelAfterFrames)
        {
            CancelAfter?.Cancel();
        }

        return batch.Select(request =>
        {
            var centre = request.AudioWindow.AsSpan((AudioWindowFrames / 2) * AudioFeatureDim, AudioFeatureDim);
            var level = 0f;
            foreach (var v in centre)
            {
                level += v;
            }

            var rgb = new byte[FrameSize * FrameSize * 3];
            Array.Fill(rgb, (byte)Math.Clamp(128 + (level / AudioFeatureDim * 10), 0, 255));
            return new RenderedFrame(rgb, FrameSize, FrameSize);
        }).ToList();
    }

    public void Dispose() => Disposed = true;

    private sealed class Encoding(string id) : IPortraitEncoding
    {
        public string PortraitId { get; } = id;

        public void Dispose()
        {
        }
    }
}
