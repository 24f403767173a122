using System.Runtime.InteropServices;

namespace RealtimeHead.Imaging.Native;

/// <summary>P/Invoke surface of the TurboJPEG API (<c>libturbojpeg.so.0</c>), declared from /usr/include/turbojpeg.h.</summary>
internal static unsafe partial class TurboJpegNative
{
    public const int PixelFormatRgb = 0;     // TJPF_RGB
    public const int Subsampling444 = 0;     // TJSAMP_444
    public const int Subsampling420 = 2;     // TJSAMP_420
    public const int FlagAccurateDct = 4096; // TJFLAG_ACCURATEDCT

    static TurboJpegNative() => ImagingNativeLibraries.EnsureRegistered();

    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial TurboJpegHandle tjInitDecompress();

    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial TurboJpegHandle tjInitCompress();

    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial int tjDestroy(nint handle);

    // unsigned long is 64-bit on LP64 Linux: nuint.
    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial int tjDecompressHeader3(
        TurboJpegHandle handle, byte* jpegBuf, nuint jpegSize, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial int tjDecompress2(
        TurboJpegHandle handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial int tjCompress2(
        TurboJpegHandle handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        ref nint jpegBuf, ref nuint jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial void tjFree(nint buffer);

    [LibraryImport(ImagingNativeLibraries.TurboJpeg)]
    public static partial nint tjGetErrorStr2(TurboJpegHandle handle);

    /// <summary>The per-handle error message (thread-safe, unlike the deprecated tjGetErrorStr).</summary>
    public static string Error(TurboJpegHandle handle) =>
        Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "TurboJPEG reported an error without a message";
}

/// <summary>A TurboJPEG compressor or decompressor instance, released with <c>tjDestroy</c>.</summary>
internal sealed class TurboJpegHandle : SafeHandle
{
    public TurboJpegHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle() => TurboJpegNative.tjDestroy(handle) == 0;
}
