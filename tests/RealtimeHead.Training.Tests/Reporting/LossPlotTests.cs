using RealtimeHead.Imaging;
using RealtimeHead.Training.Reporting;

namespace RealtimeHead.Training.Tests.Reporting;

public sealed class LossPlotTests
{
    private static int Count(RgbImage image, (byte R, byte G, byte B) colour)
    {
        var count = 0;
        for (var p = 0; p < image.Width * image.Height; p++)
        {
            if (image.Pixels[3 * p] == colour.R && image.Pixels[3 * p + 1] == colour.G && image.Pixels[3 * p + 2] == colour.B) count++;
        }
        return count;
    }

    [Fact]
    public void Render_ThreeTerms_DrawsEachInItsColour()
    {
        var rows = Enumerable.Range(1, 50).Select(s => new LossRow(s, [10.0 / s, 0.01 * s, s % 2 == 0 ? 0 : 1e-4], s)).ToList();

        var image = LossPlot.Render(["falling", "rising", "broken"], rows, 640, 360);

        Assert.Equal((640, 360), (image.Width, image.Height));
        Assert.True(Count(image, LossPlot.Palette[0]) > 400, "curve 1 and its legend swatch");
        Assert.True(Count(image, LossPlot.Palette[1]) > 400, "curve 2 and its legend swatch");
        Assert.InRange(Count(image, LossPlot.Palette[2]), 160, 450); // isolated points (zeros break it) and the swatch
        Assert.Equal(0, Count(image, LossPlot.Palette[3]));
    }

    [Fact]
    public void Render_LogScale_PlacesDecadesEvenly()
    {
        // One term at 1e-3, another at 1e1: four decades apart; the low one sits at the bottom, the high one at the top.
        var rows = new[] { new LossRow(1, [1e-3, 10], 0), new LossRow(2, [1e-3, 10], 1) };

        var image = LossPlot.Render(["low", "high"], rows, 400, 300);

        int RowOf((byte, byte, byte) colour)
        {
            for (var y = 0; y < image.Height; y++)
            {
                for (var x = 100; x < 200; x++)
                {
                    var p = 3 * (y * image.Width + x);
                    if ((image.Pixels[p], image.Pixels[p + 1], image.Pixels[p + 2]) == colour) return y;
                }
            }
            return -1;
        }
        var (low, high) = (RowOf(LossPlot.Palette[0]), RowOf(LossPlot.Palette[1]));
        Assert.InRange(low, 300 - 50 - 3, 300 - 50);   // bottom of the plot area
        Assert.InRange(high, 30 - 1, 30 + 2);          // top
    }

    [Fact]
    public void Render_NoRows_DrawsEmptyAxes()
    {
        var image = LossPlot.Render(["a"], [], 400, 300);

        Assert.Equal(0, Count(image, LossPlot.Palette[1]));
        Assert.True(Count(image, (40, 40, 40)) > 500);
    }

    [Theory]
    [InlineData(1, 3, new long[] { 1, 2, 3 })]
    [InlineData(0, 1000, new long[] { 0, 200, 400, 600, 800, 1000 })]
    [InlineData(5, 47, new long[] { 10, 20, 30, 40 })]
    public void Ticks_Range_AreRoundNumbers(long first, long last, long[] expected) =>
        Assert.Equal(expected, LossPlot.Ticks(first, last));
}
