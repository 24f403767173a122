using System.Diagnostics;
using System.Text;

namespace RealtimeHead.Cli.Render;

/// <summary>
/// The <c>ffmpeg</c> command-line tool (Debian's ffmpeg 5.1 here): decoding audio to PCM and encoding video over pipes
/// (no managed codec library is available). <see cref="Executable"/> may be overridden for tests.
/// </summary>
internal static class Ffmpeg
{
    private static readonly Lazy<bool> HasLibx264 = new(() => Encoders().Contains(" libx264 ", StringComparison.Ordinal));

    /// <summary>The ffmpeg executable: RH_FFMPEG, else "ffmpeg" on the PATH.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("RH_FFMPEG") is { Length: > 0 } path ? path : "ffmpeg";

    /// <summary>The H.264 encoder when Debian's ffmpeg has it (libx264), else MPEG-4 part 2.</summary>
    public static (string Name, string[] Arguments) VideoEncoder => HasLibx264.Value
        ? ("H.264 (libx264)", ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"])
        : ("MPEG-4 part 2", ["-c:v", "mpeg4", "-q:v", "3", "-pix_fmt", "yuv420p"]);

    /// <summary>Starts ffmpeg with <paramref name="arguments"/> (quiet but for errors, never reading the terminal).</summary>
    /// <exception cref="RenderInputException">ffmpeg is not installed.</exception>
    public static Process Start(IEnumerable<string> arguments, bool redirectInput)
    {
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-hide_banner", "-loglevel", "error", .. redirectInput ? [] : (string[])["-nostdin"], .. arguments])
        {
            info.ArgumentList.Add(argument);
        }

        try
        {
            return Process.Start(info) ?? throw new RenderInputException($"Could not start {Executable}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new RenderInputException($"ffmpeg is needed to decode audio and write mp4 but '{Executable}' could not be started ({e.Message}); install Debian's ffmpeg.", 1, e);
        }
    }

    /// <summary>Runs ffmpeg to the end; returns its exit code, standard output bytes and the tail of its error output.</summary>
    public static async Task<(int ExitCode, byte[] Output, string Errors)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Start(arguments, redirectInput: false);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var output = new MemoryStream();
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }

        return (process.ExitCode, output.ToArray(), Tail(await errors.ConfigureAwait(false)));
    }

    /// <summary>The last lines of an error output, on one line, for messages.</summary>
    public static string Tail(string errors)
    {
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no message" : string.Join(" | ", lines.TakeLast(2));
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string Encoders()
    {
        try
        {
            using var process = Start(["-encoders"], redirectInput: false);
            var text = new StringBuilder(process.StandardOutput.ReadToEnd());
            process.WaitForExit();
            return text.ToString();
        }
        catch (RenderInputException)
        {
            return string.Empty;
        }
    }
}
