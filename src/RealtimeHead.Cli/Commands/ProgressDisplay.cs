using System.Globalization;
using RealtimeHead.Corpus;

namespace RealtimeHead.Cli.Commands;

/// <summary>
/// Shows generator progress: one line rewritten in place on a terminal, or a line per clip and per 10 % when
/// output is redirected (logs stay readable). Reports arrive on the generator's thread, synchronously.
/// </summary>
internal sealed class ProgressDisplay(TextWriter output, bool interactive) : IProgress<CorpusProgress>
{
    private readonly Lock gate = new();
    private int lastDecile = -1;
    private int lastClip = -1;
    private int lastLength;

    public void Report(CorpusProgress value)
    {
        lock (gate)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"[{Bar(value.Fraction)}] {value.Fraction * 100,5:F1}%  clip {value.ClipIndex + 1}/{value.ClipCount} {value.ClipId} {value.Stage.ToString().ToLowerInvariant()} {value.ClipFramesDone}/{value.ClipFrames}  frames {value.FramesDone}/{value.FramesTotal}");
            if (interactive)
            {
                output.Write('\r' + line.PadRight(lastLength));
                lastLength = line.Length;
                return;
            }

            var decile = (int)(value.Fraction * 10);
            if (decile != lastDecile || value.ClipIndex != lastClip)
            {
                output.WriteLine(line);
                lastDecile = decile;
                lastClip = value.ClipIndex;
            }
        }
    }

    /// <summary>Ends the in-place line so later output starts on a new line.</summary>
    public void Complete()
    {
        lock (gate)
        {
            if (interactive && lastLength > 0)
            {
                output.WriteLine();
                lastLength = 0;
            }
        }
    }

    private static string Bar(double fraction)
    {
        const int Width = 24;
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * Width);
        return new string('#', filled) + new string('.', Width - filled);
    }
}
