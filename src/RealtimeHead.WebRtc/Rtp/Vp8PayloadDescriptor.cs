namespace RealtimeHead.WebRtc.Rtp;

/// <summary>
/// The VP8 payload descriptor (RFC 7741 §4.2) that precedes every VP8 RTP payload.
/// Optional fields are null when absent.
/// </summary>
internal readonly record struct Vp8PayloadDescriptor
{
    /// <summary>N: the frame can be discarded without affecting other frames.</summary>
    public bool NonReference { get; init; }

    /// <summary>S: the packet starts a VP8 partition.</summary>
    public bool StartOfPartition { get; init; }

    /// <summary>PID: partition index, 0-7.</summary>
    public byte PartitionIndex { get; init; }

    /// <summary>PictureID: 7 bits, or 15 bits when <see cref="LongPictureId"/>.</summary>
    public ushort? PictureId { get; init; }

    /// <summary>M: the picture id is written in 15 bits. Implied when <see cref="PictureId"/> exceeds 127.</summary>
    public bool LongPictureId { get; init; }

    /// <summary>TL0PICIDX: running index of temporal base layer frames.</summary>
    public byte? Tl0PicIdx { get; init; }

    /// <summary>TID: temporal layer index, 0-3.</summary>
    public byte? TemporalLayerId { get; init; }

    /// <summary>Y: layer sync bit; meaningful only with <see cref="TemporalLayerId"/>.</summary>
    public bool LayerSync { get; init; }

    /// <summary>KEYIDX: temporal key frame index, 0-31.</summary>
    public byte? KeyIndex { get; init; }

    /// <summary>True when this packet starts a frame (S = 1 and PID = 0, RFC 7741 §4.4).</summary>
    public bool IsFrameStart => StartOfPartition && PartitionIndex == 0;

    private bool HasExtensionByte => PictureId is not null || Tl0PicIdx is not null || TemporalLayerId is not null || KeyIndex is not null;

    private bool WritesLongPictureId => LongPictureId || PictureId > 0x7F;

    /// <summary>Bytes the descriptor takes.</summary>
    public int Length =>
        1 + (HasExtensionByte ? 1 : 0)
        + (PictureId is null ? 0 : WritesLongPictureId ? 2 : 1)
        + (Tl0PicIdx is null ? 0 : 1)
        + (TemporalLayerId is null && KeyIndex is null ? 0 : 1);

    /// <summary>Parses a descriptor; <paramref name="length"/> is where the VP8 payload starts.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor, out int length)
    {
        descriptor = default;
        length = 0;
        if (payload.IsEmpty)
        {
            return false;
        }

        var first = payload[0];
        var result = new Vp8PayloadDescriptor
        {
            NonReference = (first & 0x20) != 0,
            StartOfPartition = (first & 0x10) != 0,
            PartitionIndex = (byte)(first & 0x07),
        };
        var offset = 1;
        if ((first & 0x80) != 0)
        {
            if (payload.Length < 2)
            {
                return false;
            }

            var extension = payload[1];
            offset = 2;
            bool hasPictureId = (extension & 0x80) != 0, hasTl0 = (extension & 0x40) != 0;
            bool hasTid = (extension & 0x20) != 0, hasKeyIndex = (extension & 0x10) != 0;
            if (hasPictureId)
            {
                if (payload.Length < offset + 1)
                {
                    return false;
                }

                if ((payload[offset] & 0x80) != 0)
                {
                    if (payload.Length < offset + 2)
                    {
                        return false;
                    }

                    result = result with { PictureId = (ushort)(((payload[offset] & 0x7F) << 8) | payload[offset + 1]), LongPictureId = true };
                    offset += 2;
                }
                else
                {
                    result = result with { PictureId = payload[offset] };
                    offset++;
                }
            }

            if (hasTl0)
            {
                if (payload.Length < offset + 1)
                {
                    return false;
                }

                result = result with { Tl0PicIdx = payload[offset++] };
            }

            if (hasTid || hasKeyIndex)
            {
                if (payload.Length < offset + 1)
                {
                    return false;
                }

                var b = payload[offset++];
                if (hasTid)
                {
                    result = result with { TemporalLayerId = (byte)(b >> 6), LayerSync = (b & 0x20) != 0 };
                }

                if (hasKeyIndex)
                {
                    result = result with { KeyIndex = (byte)(b & 0x1F) };
                }
            }
        }

        descriptor = result;
        length = offset;
        return true;
    }

    /// <summary>Writes the descriptor; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">A field is out of range or the destination is too small.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (PartitionIndex > 7 || PictureId > 0x7FFF || TemporalLayerId > 3 || KeyIndex > 31)
        {
            throw new ArgumentException("VP8 descriptor field out of range (RFC 7741 §4.2).");
        }

        var length = Length;
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination too small for the VP8 descriptor.", nameof(destination));
        }

        destination[0] = (byte)((HasExtensionByte ? 0x80 : 0) | (NonReference ? 0x20 : 0) | (StartOfPartition ? 0x10 : 0) | PartitionIndex);
        if (!HasExtensionByte)
        {
            return 1;
        }

        destination[1] = (byte)((PictureId is null ? 0 : 0x80) | (Tl0PicIdx is null ? 0 : 0x40)
            | (TemporalLayerId is null ? 0 : 0x20) | (KeyIndex is null ? 0 : 0x10));
        var offset = 2;
        if (PictureId is { } pictureId)
        {
            if (WritesLongPictureId)
            {
                destination[offset++] = (byte)(0x80 | (pictureId >> 8));
                destination[offset++] = (byte)pictureId;
            }
            else
            {
                destination[offset++] = (byte)pictureId;
            }
        }

        if (Tl0PicIdx is { } tl0)
        {
            destination[offset++] = tl0;
        }

        if (TemporalLayerId is not null || KeyIndex is not null)
        {
            destination[offset++] = (byte)(((TemporalLayerId ?? 0) << 6) | (TemporalLayerId is not null && LayerSync ? 0x20 : 0) | (KeyIndex ?? 0));
        }

        return offset;
    }
}
