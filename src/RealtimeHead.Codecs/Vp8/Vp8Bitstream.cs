namespace RealtimeHead.Codecs.Vp8;

/// <summary>Reads the uncompressed header of a VP8 frame (RFC 6386 §9.1) without decoding it.</summary>
public static class Vp8Bitstream
{
    /// <summary>
    /// True when <paramref name="frame"/> starts with a keyframe header: frame-tag bit 0 clear, followed by the
    /// start code 9d 01 2a and the 14-bit dimensions (10 bytes in all).
    /// </summary>
    public static bool IsKeyframe(ReadOnlySpan<byte> frame) =>
        frame.Length >= 10 && (frame[0] & 0x01) == 0 && frame[3] == 0x9d && frame[4] == 0x01 && frame[5] == 0x2a;

    /// <summary>Reads the dimensions of a keyframe; false for anything else.</summary>
    public static bool TryReadKeyframeSize(ReadOnlySpan<byte> frame, out int width, out int height)
    {
        if (!IsKeyframe(frame))
        {
            width = height = 0;
            return false;
        }

        // The top two bits of each 16-bit field are the scaling mode (RFC 6386 §9.1), not part of the size.
        width = (frame[6] | (frame[7] << 8)) & 0x3fff;
        height = (frame[8] | (frame[9] << 8)) & 0x3fff;
        return true;
    }
}
