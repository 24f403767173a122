using RealtimeHead.Testing.Native;
using System.Runtime.CompilerServices;
using RealtimeHead.Imaging.Native;

namespace RealtimeHead.Imaging.Tests.Native;

public sealed class NativeLayoutTests
{
    private static readonly (string C, long Managed)[] Expectations =
    [
        ("sizeof(png_image)", Unsafe.SizeOf<PngImage>()),
        ("offsetof(png_image, opaque)", Offset(nameof(PngImage.Opaque))),
        ("offsetof(png_image, version)", Offset(nameof(PngImage.Version))),
        ("offsetof(png_image, width)", Offset(nameof(PngImage.Width))),
        ("offsetof(png_image, height)", Offset(nameof(PngImage.Height))),
        ("offsetof(png_image, format)", Offset(nameof(PngImage.Format))),
        ("offsetof(png_image, flags)", Offset(nameof(PngImage.Flags))),
        ("offsetof(png_image, colormap_entries)", Offset(nameof(PngImage.ColormapEntries))),
        ("offsetof(png_image, warning_or_error)", Offset(nameof(PngImage.WarningOrError))),
        ("offsetof(png_image, message)", Offset(nameof(PngImage.Message))),
        ("sizeof(((png_image*)0)->message)", 64),
        ("PNG_IMAGE_VERSION", PngNative.ImageVersion),
        ("PNG_FORMAT_RGB", PngNative.FormatRgb),
        ("PNG_IMAGE_ERROR", PngNative.ImageError),
        ("TJPF_RGB", TurboJpegNative.PixelFormatRgb),
        ("TJSAMP_444", TurboJpegNative.Subsampling444),
        ("TJSAMP_420", TurboJpegNative.Subsampling420),
        ("TJFLAG_ACCURATEDCT", TurboJpegNative.FlagAccurateDct),
        ("sizeof(unsigned long)", nuint.Size),
    ];

    [CcFact]
    public void ManagedLayout_MatchesNativeHeaders()
    {
        var values = NativeHeaderProbe.Evaluate(["png.h", "turbojpeg.h"], Expectations.Select(e => e.C).ToList());

        var mismatches = Expectations
            .Where(e => values[e.C] != e.Managed)
            .Select(e => $"{e.C}: native {values[e.C]}, managed {e.Managed}")
            .ToList();
        Assert.Empty(mismatches);
        Assert.Equal(Expectations.Length, values.Count);
    }

    private static unsafe long Offset(string field)
    {
        // Marshal.OffsetOf rejects fixed buffers' names in some cases; compute from a real instance instead.
        PngImage image = default;
        var basePtr = (byte*)&image;
        return field switch
        {
            nameof(PngImage.Opaque) => (byte*)&image.Opaque - basePtr,
            nameof(PngImage.Version) => (byte*)&image.Version - basePtr,
            nameof(PngImage.Width) => (byte*)&image.Width - basePtr,
            nameof(PngImage.Height) => (byte*)&image.Height - basePtr,
            nameof(PngImage.Format) => (byte*)&image.Format - basePtr,
            nameof(PngImage.Flags) => (byte*)&image.Flags - basePtr,
            nameof(PngImage.ColormapEntries) => (byte*)&image.ColormapEntries - basePtr,
            nameof(PngImage.WarningOrError) => (byte*)&image.WarningOrError - basePtr,
            nameof(PngImage.Message) => image.Message - basePtr,
            _ => throw new ArgumentException(field),
        };
    }
}
