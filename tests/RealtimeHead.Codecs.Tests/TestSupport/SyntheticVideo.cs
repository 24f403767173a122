using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Tests.TestSupport;

/// <summary>Deterministic moving test pictures.</summary>
internal static class SyntheticVideo
{
    /// <summary>Media-clock samples per frame at 25 fps.</summary>
    public const int FrameTicks = MediaClock.SampleRate / 25;

    /// <summary>
    /// A smooth moving pattern (drifting sine grating, a sliding bright square and colour gradients): what a
    /// rendered face is closer to than noise.
    /// </summary>
    public static VideoFrame Smooth(int width, int height, int index)
    {
        var frame = new VideoFrame(width, height, (long)index * FrameTicks);
        var squareX = (index * 5) % Math.Max(1, width - 24);
        var squareY = (index * 3) % Math.Max(1, height - 24);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = 128 + (50 * Math.Sin(2 * Math.PI * (x + (3 * index)) / 40) * Math.Cos(2 * Math.PI * (y + (2 * index)) / 56));
                if (x >= squareX && x < squareX + 24 && y >= squareY && y < squareY + 24)
                {
                    value = 225;
                }

                frame.Y[(y * width) + x] = (byte)value;
            }
        }

        for (var y = 0; y < frame.ChromaHeight; y++)
        {
            for (var x = 0; x < frame.ChromaWidth; x++)
            {
                frame.U[(y * frame.ChromaWidth) + x] = (byte)(128 + (40 * Math.Sin(2 * Math.PI * (x + index) / 80)));
                frame.V[(y * frame.ChromaWidth) + x] = (byte)(128 + (40 * Math.Cos(2 * Math.PI * (y - index) / 70)));
            }
        }

        return frame;
    }

    /// <summary>
    /// A scrolling pseudo-random texture with fresh grain every frame: motion search cannot predict the
    /// grain, so the rate controller must spend its whole budget.
    /// </summary>
    public static VideoFrame Textured(int width, int height, int index)
    {
        var frame = new VideoFrame(width, height, (long)index * FrameTicks);
        var grain = new Random(index);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                frame.Y[(y * width) + x] = (byte)(Hash(x + (2 * index), y + index) + grain.Next(0, 40));
            }
        }

        Array.Fill(frame.U, (byte)128);
        Array.Fill(frame.V, (byte)128);
        return frame;
    }

    private static byte Hash(int x, int y)
    {
        // Blocks of 4x4 with smooth-ish values: detail the encoder cannot skip, but not pure white noise.
        var h = (uint)((x >> 2) * 73856093) ^ (uint)((y >> 2) * 19349663);
        h ^= h >> 13;
        h *= 0x5bd1e995;
        h ^= h >> 15;
        return (byte)(48 + (h % 160));
    }
}
