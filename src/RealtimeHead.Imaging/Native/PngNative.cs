using System.Runtime.InteropServices;

namespace RealtimeHead.Imaging.Native;

/// <summary>
/// <c>png_image</c> from /usr/include/png.h (libpng 1.6 simplified API): 104 bytes on x86-64.
/// Offsets are checked against the header by NativeLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PngImage
{
    public nint Opaque;
    public uint Version;
    public uint Width;
    public uint Height;
    public uint Format;
    public uint Flags;
    public uint ColormapEntries;
    public uint WarningOrError;
    public fixed byte Message[64];
}

/// <summary>
/// P/Invoke surface of libpng's simplified API (<c>libpng16.so.16</c>). Every call reports failure by
/// returning 0 and leaving a NUL-terminated message in <see cref="PngImage.Message"/>.
/// </summary>
internal static unsafe partial class PngNative
{
    public const uint ImageVersion = 1;          // PNG_IMAGE_VERSION
    public const uint FormatRgb = 0x02;          // PNG_FORMAT_RGB (PNG_FORMAT_FLAG_COLOR)
    public const uint ImageError = 2;            // PNG_IMAGE_ERROR

    static PngNative() => ImagingNativeLibraries.EnsureRegistered();

    [LibraryImport(ImagingNativeLibraries.Png)]
    public static partial int png_image_begin_read_from_memory(PngImage* image, byte* memory, nuint size);

    [LibraryImport(ImagingNativeLibraries.Png)]
    public static partial int png_image_finish_read(PngImage* image, void* background, byte* buffer, int rowStride, void* colormap);

    [LibraryImport(ImagingNativeLibraries.Png)]
    public static partial void png_image_free(PngImage* image);

    [LibraryImport(ImagingNativeLibraries.Png)]
    public static partial int png_image_write_to_memory(
        PngImage* image, byte* memory, ref nuint memoryBytes, int convertTo8Bit, byte* buffer, int rowStride, void* colormap);

    /// <summary>The message libpng left in <paramref name="image"/>, or a generic one if it left none.</summary>
    public static string Message(PngImage* image)
    {
        var text = Marshal.PtrToStringUTF8((nint)image->Message);
        return string.IsNullOrEmpty(text) ? "libpng reported an error without a message" : text;
    }
}

/// <summary>
/// Owns a zeroed native <c>png_image</c>. The struct lives in native memory because libpng keeps a pointer
/// to it in its control block between begin_read and finish_read; releasing calls <c>png_image_free</c>,
/// which frees the control block if a failed or abandoned read left one (a no-op when opaque is NULL).
/// </summary>
internal sealed unsafe class PngImageHandle : SafeHandle
{
    public PngImageHandle()
        : base(0, ownsHandle: true)
    {
        var memory = (PngImage*)NativeMemory.AllocZeroed((nuint)sizeof(PngImage));
        memory->Version = PngNative.ImageVersion;
        SetHandle((nint)memory);
    }

    public override bool IsInvalid => handle == 0;

    public PngImage* Image => (PngImage*)handle;

    protected override bool ReleaseHandle()
    {
        PngNative.png_image_free((PngImage*)handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
