using RealtimeHead.Imaging.Native;

namespace RealtimeHead.Imaging;

/// <summary>JPEG ↔ packed RGB24 through libturbojpeg (turbojpeg.h).</summary>
internal static unsafe class JpegCodec
{
    /// <summary>SOI marker followed by the first byte of the next marker (ITU T.81 §B.1.1.3).</summary>
    public static ReadOnlySpan<byte> Signature => [0xFF, 0xD8, 0xFF];

    public static RgbImage Decode(ReadOnlySpan<byte> data, string source)
    {
        using var handle = TurboJpegNative.tjInitDecompress();
        if (handle.IsInvalid)
        {
            throw new ImageCodecException(source, "tjInitDecompress failed");
        }

        fixed (byte* p = data)
        {
            if (TurboJpegNative.tjDecompressHeader3(handle, p, (nuint)data.Length, out var width, out var height, out _, out _) != 0)
            {
                throw new ImageCodecException(source, $"not a readable JPEG ({TurboJpegNative.Error(handle)})");
            }

            if (width <= 0 || height <= 0 || (long)width * height > RgbImage.MaxPixels)
            {
                throw new ImageCodecException(source, $"JPEG size {width}x{height} is out of range");
            }

            var result = new RgbImage(width, height);
            fixed (byte* dst = result.Pixels)
            {
                // libjpeg-turbo returns -1 with a "Premature end of JPEG file" warning for truncated data and still
                // fills the rest grey; a truncated portrait is an error here, not a silently grey chin.
                if (TurboJpegNative.tjDecompress2(handle, p, (nuint)data.Length, dst, width, width * 3, height, TurboJpegNative.PixelFormatRgb, TurboJpegNative.FlagAccurateDct) != 0)
                {
                    throw new ImageCodecException(source, $"corrupt or truncated JPEG ({TurboJpegNative.Error(handle)})");
                }
            }

            return result;
        }
    }

    public static byte[] Encode(RgbImage rgb, int quality, string source)
    {
        using var handle = TurboJpegNative.tjInitCompress();
        if (handle.IsInvalid)
        {
            throw new ImageCodecException(source, "tjInitCompress failed");
        }

        nint buffer = 0;
        nuint size = 0;
        try
        {
            fixed (byte* src = rgb.Pixels)
            {
                // 4:4:4 keeps the thin coloured details (lips, iris) that 4:2:0 would smear at portrait sizes.
                if (TurboJpegNative.tjCompress2(handle, src, rgb.Width, rgb.Width * 3, rgb.Height, TurboJpegNative.PixelFormatRgb, ref buffer, ref size, TurboJpegNative.Subsampling444, quality, TurboJpegNative.FlagAccurateDct) != 0)
                {
                    throw new ImageCodecException(source, $"JPEG encoding failed ({TurboJpegNative.Error(handle)})");
                }
            }

            return new ReadOnlySpan<byte>((void*)buffer, checked((int)size)).ToArray();
        }
        finally
        {
            if (buffer != 0)
            {
                TurboJpegNative.tjFree(buffer);
            }
        }
    }
}
