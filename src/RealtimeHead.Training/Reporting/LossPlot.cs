using System.Globalization;
using RealtimeHead.Imaging;

namespace RealtimeHead.Training.Reporting;

/// <summary>
/// Draws loss curves into an image: step on a linear x axis, loss on a log-scale y axis with a grid line and label at every
/// power of ten, one colour per term with a legend. Values that are not positive and finite cannot sit on a log axis
/// and break the curve there.
/// </summary>
public static class LossPlot
{
    private static readonly (byte R, byte G, byte B) Background = (255, 255, 255);
    private static readonly (byte R, byte G, byte B) Axis = (40, 40, 40);
    private static readonly (byte R, byte G, byte B) Grid = (225, 225, 225);

    /// <summary>Distinct colours (Tableau 10), assigned to the terms in order.</summary>
    internal static readonly (byte R, byte G, byte B)[] Palette =
    [
        (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
        (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
    ];

    private const int Left = 70;
    private const int Right = 150;
    private const int Top = 30;
    private const int Bottom = 50;
    private const int TextScale = 2;

    /// <summary>The plot of <paramref name="rows"/> (columns named by <paramref name="terms"/>) at width × height.</summary>
    public static RgbImage Render(IReadOnlyList<string> terms, IReadOnlyList<LossRow> rows, int width = 960, int height = 540, string title = "loss")
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, Left + Right + 50);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, Top + Bottom + 50);
        var image = new RgbImage(width, height);
        Canvas.Fill(image, 0, 0, width, height, Background);
        var (plotWidth, plotHeight) = (width - Left - Right, height - Top - Bottom);

        var positive = rows.SelectMany(r => r.Values).Where(v => v > 0 && double.IsFinite(v)).ToList();
        var lowDecade = positive.Count == 0 ? -3 : (int)Math.Floor(Math.Log10(positive.Min()));
        var highDecade = positive.Count == 0 ? 1 : (int)Math.Ceiling(Math.Log10(positive.Max()));
        if (highDecade <= lowDecade) highDecade = lowDecade + 1;
        var firstStep = rows.Count == 0 ? 0 : rows.Min(r => r.Step);
        var lastStep = rows.Count == 0 ? 1 : Math.Max(rows.Max(r => r.Step), firstStep + 1);

        int X(long step) => Left + (int)Math.Round((double)(step - firstStep) / (lastStep - firstStep) * (plotWidth - 1));
        int Y(double value) => Top + (int)Math.Round((highDecade - Math.Log10(value)) / (highDecade - lowDecade) * (plotHeight - 1));

        // Grid and labels: every decade on y, about five ticks on x.
        for (var decade = lowDecade; decade <= highDecade; decade++)
        {
            var y = Y(Math.Pow(10, decade));
            Canvas.Line(image, Left, y, Left + plotWidth - 1, y, Grid);
            var label = string.Create(CultureInfo.InvariantCulture, $"1e{decade}");
            PixelFont.Draw(image, label, Left - 8 - PixelFont.Measure(label, TextScale), y - PixelFont.GlyphHeight * TextScale / 2, TextScale, Axis);
        }
        foreach (var step in Ticks(firstStep, lastStep))
        {
            var x = X(step);
            Canvas.Line(image, x, Top, x, Top + plotHeight - 1, Grid);
            Canvas.Line(image, x, Top + plotHeight, x, Top + plotHeight + 5, Axis);
            var label = step.ToString(CultureInfo.InvariantCulture);
            PixelFont.Draw(image, label, x - PixelFont.Measure(label, TextScale) / 2, Top + plotHeight + 10, TextScale, Axis);
        }
        Canvas.Line(image, Left, Top, Left, Top + plotHeight, Axis, 2);
        Canvas.Line(image, Left, Top + plotHeight, Left + plotWidth, Top + plotHeight, Axis, 2);
        PixelFont.Draw(image, "step", Left + plotWidth / 2 - PixelFont.Measure("step", TextScale) / 2, height - 16, TextScale, Axis);
        PixelFont.Draw(image, title, Left, 8, TextScale, Axis);

        for (var term = 0; term < terms.Count; term++)
        {
            var colour = Palette[term % Palette.Length];
            (int X, int Y)? previous = null;
            foreach (var row in rows)
            {
                var value = row.Values[term];
                if (!(value > 0 && double.IsFinite(value)))
                {
                    previous = null;
                    continue;
                }
                var point = (X(row.Step), Y(value));
                if (previous is { } p) Canvas.Line(image, p.X, p.Y, point.Item1, point.Item2, colour, 2);
                else Canvas.Fill(image, point.Item1 - 1, point.Item2 - 1, 3, 3, colour);
                previous = point;
            }

            // Legend: a swatch and the name, one line per term.
            var legendY = Top + 4 + term * 9 * TextScale;
            Canvas.Fill(image, Left + plotWidth + 12, legendY, 16, PixelFont.GlyphHeight * TextScale, colour);
            PixelFont.Draw(image, terms[term], Left + plotWidth + 34, legendY, TextScale, Axis);
        }
        return image;
    }

    /// <summary>Round tick steps (1, 2 or 5 × 10^k apart) covering [first, last].</summary>
    internal static IEnumerable<long> Ticks(long first, long last)
    {
        var span = Math.Max(1, last - first);
        var raw = span / 5.0;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var spacing = (long)Math.Max(1, new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw));
        for (var tick = (first + spacing - 1) / spacing * spacing; tick <= last; tick += spacing) yield return tick;
    }
}
