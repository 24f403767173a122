using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using RealtimeHead.Imaging;

namespace RealtimeHead.Training.Reporting;

/// <summary>
/// Writes an H.264 mp4 through the ffmpeg command-line tool: raw RGB24 frames go to its standard input, the audio (a WAV
/// file) is muxed in as AAC. ffmpeg is an optional tool: when it is missing or fails, the caller gets the reason, not an
/// exception.
/// </summary>
public static class FfmpegVideo
{
    /// <summary>
    /// Encodes <paramref name="frames"/> (all <paramref name="width"/> × <paramref name="height"/>, even sizes) at
    /// <paramref name="fps"/> into <paramref name="outputPath"/>, with <paramref name="wavPath"/> as the sound track when
    /// given. Returns null on success, else what went wrong.
    /// </summary>
    public static string? TryWrite(string ffmpeg, string outputPath, int width, int height, int fps, IEnumerable<RgbImage> frames, string? wavPath,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ffmpeg);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        ArgumentNullException.ThrowIfNull(frames);
        var start = new ProcessStartInfo(ffmpeg)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-y", "-hide_banner", "-loglevel", "error",
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"),
            "-r", fps.ToString(CultureInfo.InvariantCulture), "-i", "-",
        })
        {
            start.ArgumentList.Add(argument);
        }
        if (wavPath is not null)
        {
            foreach (var argument in new[] { "-i", wavPath }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in new[] { "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart" }) start.ArgumentList.Add(argument);
        if (wavPath is not null)
        {
            foreach (var argument in new[] { "-c:a", "aac", "-shortest" }) start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(outputPath);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("process did not start");
        }
        catch (Win32Exception e)
        {
            return $"cannot run '{ffmpeg}' ({e.Message}); install ffmpeg for validation videos";
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            try
            {
                using var stdin = process.StandardInput.BaseStream;
                foreach (var frame in frames)
                {
                    if (frame.Width != width || frame.Height != height)
                    {
                        process.Kill();
                        return $"frame is {frame.Width}x{frame.Height}, expected {width}x{height}";
                    }
                    stdin.Write(frame.Pixels);
                }
            }
            catch (IOException e)
            {
                process.WaitForExit();
                return $"ffmpeg stopped reading frames ({e.Message}): {errors.Result.Trim()}";
            }
            process.WaitForExit();
            _ = output.Result;
            return process.ExitCode == 0 ? null : $"ffmpeg exited with code {process.ExitCode}: {errors.Result.Trim()}";
        }
    }
}
