using RealtimeHead.Imaging.Native;

namespace RealtimeHead.Imaging;

/// <summary>PNG ↔ packed RGB24 through libpng's simplified API (png.h "Simplified API").</summary>
internal static unsafe class PngCodec
{
    /// <summary>The 8-byte PNG signature (PNG spec §5.2).</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Decodes any PNG (grey, palette, alpha, 16-bit) to 8-bit RGB; alpha is composited over black.</summary>
    public static RgbImage Decode(ReadOnlySpan<byte> data, string source)
    {
        using var handle = new PngImageHandle();
        var image = handle.Image;
        fixed (byte* p = data)
        {
            if (PngNative.png_image_begin_read_from_memory(image, p, (nuint)data.Length) == 0)
            {
                throw new ImageCodecException(source, $"not a readable PNG ({PngNative.Message(image)})");
            }

            // Refuse absurd headers before allocating: a hostile IHDR may claim 2^31 x 2^31.
            if (image->Width == 0 || image->Height == 0 || (long)image->Width * image->Height > RgbImage.MaxPixels)
            {
                throw new ImageCodecException(source, $"PNG size {image->Width}x{image->Height} is out of range");
            }

            image->Format = PngNative.FormatRgb;
            var result = new RgbImage((int)image->Width, (int)image->Height);
            fixed (byte* dst = result.Pixels)
            {
                if (PngNative.png_image_finish_read(image, null, dst, result.Width * 3, null) == 0)
                {
                    throw new ImageCodecException(source, $"corrupt or truncated PNG ({PngNative.Message(image)})");
                }
            }

            return result;
        }
    }

    public static byte[] Encode(RgbImage rgb, string source)
    {
        using var handle = new PngImageHandle();
        var image = handle.Image;
        image->Width = (uint)rgb.Width;
        image->Height = (uint)rgb.Height;
        image->Format = PngNative.FormatRgb;
        fixed (byte* src = rgb.Pixels)
        {
            // First call with a null buffer only measures; the second writes (png.h png_image_write_to_memory).
            nuint size = 0;
            if (PngNative.png_image_write_to_memory(image, null, ref size, 0, src, rgb.Width * 3, null) == 0)
            {
                throw new ImageCodecException(source, $"PNG encoding failed ({PngNative.Message(image)})");
            }

            var output = new byte[(int)size];
            fixed (byte* dst = output)
            {
                if (PngNative.png_image_write_to_memory(image, dst, ref size, 0, src, rgb.Width * 3, null) == 0)
                {
                    throw new ImageCodecException(source, $"PNG encoding failed ({PngNative.Message(image)})");
                }
            }

            return size == (nuint)output.Length ? output : output[..(int)size];
        }
    }
}
