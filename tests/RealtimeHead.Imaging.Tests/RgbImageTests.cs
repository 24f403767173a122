namespace RealtimeHead.Imaging.Tests;

public sealed class RgbImageTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("rh-imaging-");

    public void Dispose() => dir.Delete(recursive: true);

    /// <summary>A smooth gradient with a few hard edges: representative of a portrait for JPEG quality checks.</summary>
    internal static RgbImage TestPattern(int width, int height, int seed = 1)
    {
        var image = new RgbImage(width, height);
        var random = new Random(seed);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = ((y * width) + x) * 3;
                var inDisc = ((x - (width / 2)) * (x - (width / 2))) + ((y - (height / 2)) * (y - (height / 2))) < width * height / 10;
                image.Pixels[i] = (byte)(inDisc ? 200 : x * 255 / width);
                image.Pixels[i + 1] = (byte)(inDisc ? 150 : y * 255 / height);
                image.Pixels[i + 2] = (byte)(((x + y) * 2) + random.Next(4));
            }
        }

        return image;
    }

    internal static double Psnr(RgbImage a, RgbImage b)
    {
        double sum = 0;
        for (var i = 0; i < a.Pixels.Length; i++)
        {
            double d = a.Pixels[i] - b.Pixels[i];
            sum += d * d;
        }

        var mse = sum / a.Pixels.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(64, 48)]
    [InlineData(257, 131)]
    public void PngEncodeDecode_RoundTrip_IsLossless(int width, int height)
    {
        var image = TestPattern(width, height);
        var png = image.Encode(ImageFileFormat.Png);

        Assert.Equal(ImageFileFormat.Png, RgbImage.Sniff(png));
        var decoded = RgbImage.Decode(png);
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.Equal(image.Pixels, decoded.Pixels);
    }

    [Fact]
    public void PngEncode_SameImage_IsByteIdentical()
    {
        var image = TestPattern(40, 30);
        Assert.Equal(image.Encode(ImageFileFormat.Png), image.Encode(ImageFileFormat.Png));
    }

    [Theory]
    [InlineData(64, 64, 90)]
    [InlineData(131, 77, 95)]
    public void JpegEncodeDecode_RoundTrip_PsnrAbove30dB(int width, int height, int quality)
    {
        var image = TestPattern(width, height);
        var jpeg = image.Encode(ImageFileFormat.Jpeg, quality);

        Assert.Equal(ImageFileFormat.Jpeg, RgbImage.Sniff(jpeg));
        var decoded = RgbImage.Decode(jpeg);
        Assert.Equal(width, decoded.Width);
        Assert.Equal(height, decoded.Height);
        Assert.True(Psnr(image, decoded) > 30, $"PSNR {Psnr(image, decoded):F1} dB");
    }

    [Theory]
    [InlineData("a.png")]
    [InlineData("b.JPG")]
    [InlineData("c.jpeg")]
    public void SaveLoad_ByExtension_WritesThatFormatAndReadsBack(string name)
    {
        var path = Path.Combine(dir.FullName, name);
        var image = TestPattern(32, 24);
        image.Save(path);

        Assert.Equal(RgbImage.FormatFromExtension(path), RgbImage.Sniff(File.ReadAllBytes(path)));
        var loaded = RgbImage.Load(path);
        Assert.Equal((32, 24), (loaded.Width, loaded.Height));
        Assert.True(Psnr(image, loaded) > 30);
    }

    [Fact]
    public void Load_JpegContentWithPngExtension_SniffsContent()
    {
        var path = Path.Combine(dir.FullName, "misnamed.png");
        File.WriteAllBytes(path, TestPattern(16, 16).Encode(ImageFileFormat.Jpeg));

        var loaded = RgbImage.Load(path);

        Assert.Equal(16, loaded.Width);
    }

    [Fact]
    public void Save_UnknownExtension_ThrowsNamingFile()
    {
        var path = Path.Combine(dir.FullName, "x.bmp");
        var error = Assert.Throws<ArgumentException>(() => TestPattern(4, 4).Save(path));
        Assert.Contains("x.bmp", error.Message);
    }

    [Theory]
    [InlineData(ImageFileFormat.Png)]
    [InlineData(ImageFileFormat.Jpeg)]
    public void Load_TruncatedFile_ThrowsCodecErrorNamingFile(ImageFileFormat format)
    {
        var bytes = TestPattern(64, 64).Encode(format);
        var path = Path.Combine(dir.FullName, "truncated.img");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<ImageCodecException>(() => RgbImage.Load(path));

        Assert.Equal(path, error.FileName);
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Theory]
    [InlineData(ImageFileFormat.Png)]
    [InlineData(ImageFileFormat.Jpeg)]
    public void Decode_CorruptedBody_ThrowsCodecError(ImageFileFormat format)
    {
        var bytes = TestPattern(64, 64).Encode(format);
        for (var i = 40; i < bytes.Length; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        var error = Assert.Throws<ImageCodecException>(() => RgbImage.Decode(bytes, "corrupt.bin"));
        Assert.Equal("corrupt.bin", error.FileName);
    }

    [Fact]
    public void Load_UnsupportedFormat_ThrowsNamingFormatAndFile()
    {
        var path = Path.Combine(dir.FullName, "image.gif");
        File.WriteAllBytes(path, "GIF89a\u0001\u0000\u0001\u0000"u8.ToArray());

        var error = Assert.Throws<ImageCodecException>(() => RgbImage.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("unsupported image format", error.Message);
    }

    [Fact]
    public void Decode_Empty_ThrowsEmptyFile()
    {
        var error = Assert.Throws<ImageCodecException>(() => RgbImage.Decode([]));
        Assert.Equal("<memory>: empty file", error.Message);
    }

    [Fact]
    public void Decode_RandomInputWithSignatures_OnlyCodecErrors()
    {
        var random = new Random(7);
        var failures = 0;
        for (var i = 0; i < 200; i++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            ReadOnlySpan<byte> prefix = (i % 3) switch
            {
                0 => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
                1 => [0xFF, 0xD8, 0xFF],
                _ => [],
            };
            prefix[..Math.Min(prefix.Length, data.Length)].CopyTo(data);
            try
            {
                RgbImage.Decode(data, "fuzz");
            }
            catch (ImageCodecException)
            {
                failures++;
            }
        }

        Assert.Equal(200, failures);
    }

    [Fact]
    public void Constructor_WrongBufferLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RgbImage(4, 4, new byte[47]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RgbImage(0, 4));
    }
}
