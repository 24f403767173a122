using System.Globalization;
using System.Text;
using RealtimeHead.Training.Runs;

namespace RealtimeHead.Cli.Commands;

/// <summary>
/// Training progress on stderr: step, steps/s, elapsed and remaining time, and the losses. On a terminal one line is
/// rewritten in place (log lines and events get their own line); redirected, a line is printed every 5 % of the run,
/// at every checkpoint or validation, and at the last step.
/// </summary>
internal sealed class TrainingProgressDisplay(TextWriter output, bool interactive) : IProgress<TrainingProgress>
{
    private readonly Lock gate = new();
    private int lastLength;

    public void Report(TrainingProgress value)
    {
        lock (gate)
        {
            var line = Format(value);
            if (interactive)
            {
                output.Write('\r' + line.PadRight(lastLength));
                lastLength = line.Length;
                if (value.Event is not null) Complete();
                return;
            }

            var every = Math.Max(1, value.TotalSteps / 20);
            if (value.Step % every == 0 || value.Event is not null || value.Step == value.TotalSteps) output.WriteLine(line);
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

    internal static string Format(TrainingProgress value)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"step {value.Step}/{value.TotalSteps} ({100.0 * value.Step / value.TotalSteps:F1}%)");
        text.Append(CultureInfo.InvariantCulture, $"  {value.StepsPerSecond:G3} steps/s  elapsed {Duration(value.Elapsed)}  eta {Duration(value.Remaining)}");
        foreach (var (name, loss) in value.Losses) text.Append(CultureInfo.InvariantCulture, $"  {name} {loss:G4}");
        if (value.Event is not null) text.Append(CultureInfo.InvariantCulture, $"  [{value.Event}]");
        return text.ToString();
    }

    private static string Duration(TimeSpan span) =>
        span.TotalDays >= 1 || span < TimeSpan.Zero || span == TimeSpan.MaxValue
            ? (span.TotalDays >= 1 && span.TotalDays < 1e6 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:F1}d") : "?")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}:{span.Minutes:D2}:{span.Seconds:D2}");
}
