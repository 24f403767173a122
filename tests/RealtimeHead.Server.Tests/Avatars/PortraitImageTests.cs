using RealtimeHead.Imaging;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Avatars;

public sealed class PortraitImageTests
{
    [Fact]
    public void ToSquare_SameSizeSquare_IsACopy()
    {
        var image = TestImages.Gradient(40, 40);

        Assert.Equal(image.Pixels, PortraitImage.ToSquare(image, 40));
    }

    [Fact]
    public void ToSquare_Landscape_TakesTheCentredSquare()
    {
        var image = TestImages.Gradient(60, 40);

        var square = PortraitImage.ToSquare(image, 40);

        // Columns 10..49 of the source: red of the first output column is the source's column 10.
        Assert.Equal(image.Pixels[10 * 3], square[0]);
        Assert.Equal(image.Pixels[49 * 3], square[39 * 3]);
    }

    [Fact]
    public void ToSquare_Shrink_AveragesBlocks()
    {
        var pixels = new byte[4 * 4 * 3];
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                pixels[((y * 4) + x) * 3] = (byte)((x + y) % 2 == 0 ? 200 : 100);
            }
        }

        var square = PortraitImage.ToSquare(new RgbImage(4, 4, pixels), 2);

        Assert.Equal(new byte[] { 150, 0, 0, 150, 0, 0, 150, 0, 0, 150, 0, 0 }, square);
    }

    [Fact]
    public void ToSquare_Enlarge_KeepsFlatColoursExact()
    {
        var image = new RgbImage(3, 3, Enumerable.Repeat((byte)90, 27).ToArray());

        var square = PortraitImage.ToSquare(image, 8);

        Assert.All(square, b => Assert.Equal(90, b));
    }
}
