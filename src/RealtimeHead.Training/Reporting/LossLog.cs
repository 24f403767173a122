using System.Globalization;
using System.Text;

namespace RealtimeHead.Training.Reporting;

/// <summary>One row of a <see cref="LossLog"/>: the step, one value per term (NaN = not measured that step), and the run's
/// wall-clock seconds since it started (summed over resumed sessions).</summary>
public sealed record LossRow(long Step, IReadOnlyList<double> Values, double Seconds);

/// <summary>
/// Loss curves as CSV: a header <c>step,&lt;term&gt;…,seconds</c> and one row per step, written and flushed as each step
/// ends so a killed run keeps its curve. Opening an existing log for a resumed run keeps the rows up to the checkpoint's
/// step and drops the later ones (they will be recomputed, identically).
/// </summary>
public sealed class LossLog
{
    private readonly List<LossRow> _rows = [];

    private LossLog(string path, IReadOnlyList<string> terms)
    {
        Path = path;
        Terms = terms;
    }

    public string Path { get; }

    /// <summary>Names of the value columns, in order.</summary>
    public IReadOnlyList<string> Terms { get; }

    public IReadOnlyList<LossRow> Rows => _rows;

    /// <summary>Seconds of the last row (0 when empty): where a resumed run's clock continues from.</summary>
    public double LastSeconds => _rows.Count == 0 ? 0 : _rows[^1].Seconds;

    /// <summary>
    /// Starts a log at <paramref name="path"/>: a new file, or, with <paramref name="keepUpToStep"/>, the rows of the
    /// existing file with step ≤ that value (rewritten without the rest). Rows of another column layout, or that do not
    /// parse, are dropped.
    /// </summary>
    public static LossLog Create(string path, IReadOnlyList<string> terms, long? keepUpToStep = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(terms);
        var log = new LossLog(path, [.. terms]);
        if (keepUpToStep is { } last && File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length > 0 && lines[0] == log.Header())
            {
                foreach (var line in lines.Skip(1))
                {
                    if (TryParse(line, terms.Count, out var row) && row.Step <= last) log._rows.Add(row);
                }
            }
        }
        var text = new StringBuilder().AppendLine(log.Header());
        foreach (var row in log._rows) text.AppendLine(Format(row));
        File.WriteAllText(path, text.ToString());
        return log;
    }

    /// <summary>Adds a row and appends it to the file.</summary>
    public void Append(LossRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Values.Count != Terms.Count) throw new ArgumentException($"expected {Terms.Count} values, got {row.Values.Count}", nameof(row));
        _rows.Add(row);
        File.AppendAllText(Path, Format(row) + "\n");
    }

    private string Header() => $"step,{string.Join(',', Terms)},seconds";

    private static string Format(LossRow row) =>
        string.Create(CultureInfo.InvariantCulture, $"{row.Step},{string.Join(',', row.Values.Select(Number))},{row.Seconds:0.###}");

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);

    private static bool TryParse(string line, int terms, out LossRow row)
    {
        row = null!;
        var parts = line.Split(',');
        if (parts.Length != terms + 2 || !long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)) return false;
        var values = new double[terms];
        for (var i = 0; i < terms; i++)
        {
            if (parts[i + 1].Length == 0) values[i] = double.NaN;
            else if (!double.TryParse(parts[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])) return false;
        }
        if (!double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)) return false;
        row = new LossRow(step, values, seconds);
        return true;
    }
}
