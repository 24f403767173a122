using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtp;

/// <summary>
/// An RTP packet (RFC 3550 §5.1) with RFC 8285 header extensions. Parsing does not copy: payload,
/// CSRC-free fields and extension data are slices of the datagram, so the datagram must outlive the packet.
/// </summary>
internal sealed class RtpPacket
{
    /// <summary>RFC 8285 §4.2: "defined by profile" value of the one-byte header form.</summary>
    public const ushort OneByteExtensionProfile = 0xBEDE;

    /// <summary>RFC 8285 §4.3: the two-byte form is 0x100 followed by 4 application bits.</summary>
    public const ushort TwoByteExtensionProfile = 0x1000;

    /// <summary>RFC 3550 §5.1: the fixed header is 12 bytes.</summary>
    public const int FixedHeaderLength = 12;

    private static readonly uint[] NoCsrcs = [];

    public bool Marker { get; set; }

    /// <summary>7-bit payload type.</summary>
    public byte PayloadType { get; set; }

    public ushort SequenceNumber { get; set; }

    public uint Timestamp { get; set; }

    public uint Ssrc { get; set; }

    public IReadOnlyList<uint> Csrcs { get; set; } = NoCsrcs;

    /// <summary>
    /// RFC 8285 elements. Serialized in the one-byte form when every id is 1-14 and every element 1-16 bytes,
    /// otherwise in the two-byte form.
    /// </summary>
    public IReadOnlyList<RtpHeaderExtension> Extensions { get; set; } = [];

    /// <summary>
    /// Profile of a header extension that is not RFC 8285 (RFC 3550 §5.3.1); its body is in
    /// <see cref="RawExtension"/>. Zero when absent.
    /// </summary>
    public ushort RawExtensionProfile { get; set; }

    /// <summary>Body of a non-RFC 8285 header extension, a multiple of 4 bytes.</summary>
    public ReadOnlyMemory<byte> RawExtension { get; set; }

    public ReadOnlyMemory<byte> Payload { get; set; }

    /// <summary>Padding bytes after the payload, the count byte included (RFC 3550 §5.1 P bit); 0 for none.</summary>
    public byte PaddingSize { get; set; }

    /// <summary>Finds an RFC 8285 element by id.</summary>
    public bool TryGetExtension(byte id, out ReadOnlyMemory<byte> data)
    {
        foreach (var extension in Extensions)
        {
            if (extension.Id == id)
            {
                data = extension.Data;
                return true;
            }
        }

        data = default;
        return false;
    }

    /// <summary>Parses an RTP packet; returns false for anything that is not a well-formed version 2 packet.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> datagram, out RtpPacket packet)
    {
        packet = null!;
        var span = datagram.Span;
        if (span.Length < FixedHeaderLength || span[0] >> 6 != 2)
        {
            return false;
        }

        var hasPadding = (span[0] & 0x20) != 0;
        var hasExtension = (span[0] & 0x10) != 0;
        var csrcCount = span[0] & 0x0F;
        var offset = FixedHeaderLength + (4 * csrcCount);
        if (span.Length < offset)
        {
            return false;
        }

        var result = new RtpPacket
        {
            Marker = (span[1] & 0x80) != 0,
            PayloadType = (byte)(span[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(span[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(span[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(span[8..]),
        };

        if (csrcCount > 0)
        {
            var csrcs = new uint[csrcCount];
            for (var i = 0; i < csrcCount; i++)
            {
                csrcs[i] = BinaryPrimitives.ReadUInt32BigEndian(span[(FixedHeaderLength + (4 * i))..]);
            }

            result.Csrcs = csrcs;
        }

        if (hasExtension)
        {
            // RFC 3550 §5.3.1: 16-bit profile, 16-bit length in 32-bit words, then the body.
            if (span.Length < offset + 4)
            {
                return false;
            }

            var profile = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            var bodyLength = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]) * 4;
            offset += 4;
            if (span.Length < offset + bodyLength)
            {
                return false;
            }

            var body = datagram.Slice(offset, bodyLength);
            offset += bodyLength;
            if (profile == OneByteExtensionProfile)
            {
                if (!TryParseOneByte(body, out var elements))
                {
                    return false;
                }

                result.Extensions = elements;
            }
            else if ((profile & 0xFFF0) == TwoByteExtensionProfile)
            {
                if (!TryParseTwoByte(body, out var elements))
                {
                    return false;
                }

                result.Extensions = elements;
            }
            else
            {
                result.RawExtensionProfile = profile;
                result.RawExtension = body;
            }
        }

        var end = span.Length;
        if (hasPadding)
        {
            // RFC 3550 §5.1: the last octet counts the padding, itself included.
            var padding = span[^1];
            if (padding == 0 || end - padding < offset)
            {
                return false;
            }

            result.PaddingSize = padding;
            end -= padding;
        }

        result.Payload = datagram[offset..end];
        packet = result;
        return true;
    }

    // RFC 8285 §4.2: ID (4 bits), L (4 bits, length - 1); ID 0 is a padding byte; ID 15 stops parsing.
    private static bool TryParseOneByte(ReadOnlyMemory<byte> body, out List<RtpHeaderExtension> elements)
    {
        elements = [];
        var span = body.Span;
        var i = 0;
        while (i < span.Length)
        {
            var id = (byte)(span[i] >> 4);
            if (id == 0)
            {
                i++;
                continue;
            }

            if (id == 15)
            {
                break;
            }

            var length = (span[i] & 0x0F) + 1;
            if (i + 1 + length > span.Length)
            {
                return false;
            }

            elements.Add(new RtpHeaderExtension(id, body.Slice(i + 1, length)));
            i += 1 + length;
        }

        return true;
    }

    // RFC 8285 §4.3: ID (8 bits), length (8 bits, may be 0), data; a zero byte is padding.
    private static bool TryParseTwoByte(ReadOnlyMemory<byte> body, out List<RtpHeaderExtension> elements)
    {
        elements = [];
        var span = body.Span;
        var i = 0;
        while (i < span.Length)
        {
            var id = span[i];
            if (id == 0)
            {
                i++;
                continue;
            }

            if (i + 2 > span.Length)
            {
                return false;
            }

            var length = span[i + 1];
            if (i + 2 + length > span.Length)
            {
                return false;
            }

            elements.Add(new RtpHeaderExtension(id, body.Slice(i + 2, length)));
            i += 2 + length;
        }

        return true;
    }

    private bool UsesOneByteForm()
    {
        foreach (var extension in Extensions)
        {
            if (extension.Id is 0 or > 14 || extension.Data.Length is 0 or > 16)
            {
                return false;
            }
        }

        return true;
    }

    private int ExtensionBodyLength(bool oneByte)
    {
        if (Extensions.Count == 0)
        {
            return RawExtension.Length;
        }

        var length = 0;
        foreach (var extension in Extensions)
        {
            length += (oneByte ? 1 : 2) + extension.Data.Length;
        }

        return (length + 3) & ~3;
    }

    private bool HasExtension => Extensions.Count > 0 || RawExtensionProfile != 0 || !RawExtension.IsEmpty;

    /// <summary>Bytes <see cref="WriteTo"/> writes.</summary>
    public int GetSerializedLength()
    {
        var length = FixedHeaderLength + (4 * Csrcs.Count) + Payload.Length + PaddingSize;
        if (HasExtension)
        {
            length += 4 + ExtensionBodyLength(UsesOneByteForm());
        }

        return length;
    }

    /// <summary>Writes the packet; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too small or a field is out of range.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (Csrcs.Count > 15)
        {
            throw new ArgumentException("RTP carries at most 15 CSRCs (RFC 3550 §5.1).");
        }

        if (PayloadType > 127)
        {
            throw new ArgumentException("RTP payload type is 7 bits.");
        }

        if (RawExtension.Length % 4 != 0)
        {
            throw new ArgumentException("A raw RTP header extension is a multiple of 4 bytes (RFC 3550 §5.3.1).");
        }

        var length = GetSerializedLength();
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the packet needs {length}.", nameof(destination));
        }

        destination[0] = (byte)(0x80 | (PaddingSize > 0 ? 0x20 : 0) | (HasExtension ? 0x10 : 0) | Csrcs.Count);
        destination[1] = (byte)((Marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
        var offset = FixedHeaderLength;
        foreach (var csrc in Csrcs)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], csrc);
            offset += 4;
        }

        if (HasExtension)
        {
            offset = WriteExtension(destination, offset);
        }

        Payload.Span.CopyTo(destination[offset..]);
        offset += Payload.Length;
        if (PaddingSize > 0)
        {
            destination.Slice(offset, PaddingSize - 1).Clear();
            offset += PaddingSize;
            destination[offset - 1] = PaddingSize;
        }

        return offset;
    }

    private int WriteExtension(Span<byte> destination, int offset)
    {
        var oneByte = UsesOneByteForm();
        var bodyLength = ExtensionBodyLength(oneByte);
        if (bodyLength / 4 > ushort.MaxValue)
        {
            throw new ArgumentException("RTP header extension longer than 65535 words.");
        }

        var profile = Extensions.Count == 0 ? RawExtensionProfile
            : oneByte ? OneByteExtensionProfile : TwoByteExtensionProfile;
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], profile);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], (ushort)(bodyLength / 4));
        offset += 4;
        if (Extensions.Count == 0)
        {
            RawExtension.Span.CopyTo(destination[offset..]);
            return offset + bodyLength;
        }

        var body = destination.Slice(offset, bodyLength);
        body.Clear();
        var i = 0;
        foreach (var extension in Extensions)
        {
            if (oneByte)
            {
                body[i++] = (byte)((extension.Id << 4) | (extension.Data.Length - 1));
            }
            else
            {
                if (extension.Id == 0 || extension.Data.Length > 255)
                {
                    throw new ArgumentException("RFC 8285 two-byte elements have ids 1-255 and at most 255 bytes.");
                }

                body[i++] = extension.Id;
                body[i++] = (byte)extension.Data.Length;
            }

            extension.Data.Span.CopyTo(body[i..]);
            i += extension.Data.Length;
        }

        return offset + bodyLength;
    }

    /// <summary>Serializes into a new array.</summary>
    public byte[] ToArray()
    {
        var buffer = new byte[GetSerializedLength()];
        WriteTo(buffer);
        return buffer;
    }
}
