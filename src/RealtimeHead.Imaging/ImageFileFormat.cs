namespace RealtimeHead.Imaging;

/// <summary>The still-image container formats <see cref="RgbImage"/> reads and writes.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG (lossless), through libpng's simplified API.</summary>
    Png,

    /// <summary>Baseline JPEG (lossy), through libturbojpeg.</summary>
    Jpeg,
}
