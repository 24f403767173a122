namespace RealtimeHead.Imaging;

/// <summary>
/// A packed RGB24 image: <see cref="Height"/> rows of <see cref="Width"/> × (R, G, B) bytes, no padding,
/// top row first. Loads PNG and JPEG by content (never by extension) and saves by the file's extension.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Largest image accepted (64 megapixels), so a hostile header cannot demand gigabytes.</summary>
    public const long MaxPixels = 64L * 1024 * 1024;

    private const string MemorySource = "<memory>";

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height)
        : this(width, height, CreateBuffer(width, height))
    {
    }

    /// <summary>Wraps <paramref name="pixels"/> (length width × height × 3) without copying.</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        CheckSize(width, height);
        if (pixels.Length != width * height * 3)
        {
            throw new ArgumentException($"Expected {width * height * 3} bytes for {width}x{height} RGB24, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Bytes per row (width × 3).</summary>
    public int Stride => Width * 3;

    /// <summary>The packed pixels, row-major, R G B.</summary>
    public byte[] Pixels { get; }

    /// <summary>Reads a PNG or JPEG file, recognised by its first bytes.</summary>
    /// <exception cref="ImageCodecException">The content is not PNG/JPEG, or is corrupt or truncated.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static RgbImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes PNG or JPEG data; <paramref name="source"/> names it in errors.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string? source = null)
    {
        source ??= MemorySource;
        return Sniff(data) switch
        {
            ImageFileFormat.Png => PngCodec.Decode(data, source),
            ImageFileFormat.Jpeg => JpegCodec.Decode(data, source),
            _ => throw new ImageCodecException(source, data.IsEmpty ? "empty file" : "unsupported image format (neither PNG nor JPEG signature)"),
        };
    }

    /// <summary>The format whose signature <paramref name="data"/> starts with, or null.</summary>
    public static ImageFileFormat? Sniff(ReadOnlySpan<byte> data) =>
        data.StartsWith(PngCodec.Signature) ? ImageFileFormat.Png
        : data.StartsWith(JpegCodec.Signature) ? ImageFileFormat.Jpeg
        : null;

    /// <summary>The format implied by a file extension (.png, .jpg, .jpeg; case-insensitive), or null.</summary>
    public static ImageFileFormat? FormatFromExtension(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => ImageFileFormat.Png,
            ".jpg" or ".jpeg" => ImageFileFormat.Jpeg,
            _ => null,
        };

    /// <summary>Encodes to <paramref name="format"/>; <paramref name="jpegQuality"/> (1–100) applies to JPEG only.</summary>
    public byte[] Encode(ImageFileFormat format, int jpegQuality = 92)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        return format switch
        {
            ImageFileFormat.Png => PngCodec.Encode(this, MemorySource),
            ImageFileFormat.Jpeg => JpegCodec.Encode(this, jpegQuality, MemorySource),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown image format."),
        };
    }

    /// <summary>Writes the image in the format its extension names (.png, .jpg, .jpeg).</summary>
    /// <exception cref="ArgumentException">The extension names no supported format.</exception>
    public void Save(string path, int jpegQuality = 92)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var format = FormatFromExtension(path)
            ?? throw new ArgumentException($"{path}: cannot tell the image format from the extension (use .png, .jpg or .jpeg).", nameof(path));
        File.WriteAllBytes(path, Encode(format, jpegQuality));
    }

    private static byte[] CreateBuffer(int width, int height)
    {
        CheckSize(width, height);
        return new byte[width * height * 3];
    }

    private static void CheckSize(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if ((long)width * height > MaxPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} exceeds {MaxPixels} pixels.");
        }
    }
}
