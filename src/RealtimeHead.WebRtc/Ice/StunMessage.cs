using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>
/// A decoded STUN message (RFC 8489 §5). Parsing never throws: hostile input gives
/// <see cref="TryParse"/> = false and a <see cref="StunParseError"/> for the caller to count.
/// </summary>
internal sealed class StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    public const int TransactionIdLength = 12;

    // RFC 8489 §14.7: the CRC-32 is XOR'ed with this so that FINGERPRINT differs from other protocols' CRCs.
    public const uint FingerprintXor = 0x5354554E;

    private const int MessageIntegrityLength = 20;

    private readonly byte[] _raw;

    private StunMessage(byte[] raw, StunMessageType type, List<StunAttribute> attributes, int integrityOffset, int fingerprintOffset)
    {
        _raw = raw;
        Type = type;
        Attributes = attributes;
        MessageIntegrityOffset = integrityOffset;
        FingerprintOffset = fingerprintOffset;
    }

    public StunMessageType Type { get; }

    /// <summary>The 96-bit transaction id.</summary>
    public ReadOnlySpan<byte> TransactionId => _raw.AsSpan(8, TransactionIdLength);

    /// <summary>
    /// Attributes in wire order, unknown ones included. Attributes after MESSAGE-INTEGRITY other than
    /// FINGERPRINT are left out, as RFC 8489 §14.5 tells receivers to ignore them.
    /// </summary>
    public IReadOnlyList<StunAttribute> Attributes { get; }

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header, or -1.</summary>
    public int MessageIntegrityOffset { get; }

    /// <summary>Offset of the FINGERPRINT attribute header, or -1.</summary>
    public int FingerprintOffset { get; }

    public bool HasMessageIntegrity => MessageIntegrityOffset >= 0;

    public bool HasFingerprint => FingerprintOffset >= 0;

    public ReadOnlySpan<byte> Raw => _raw;

    /// <summary>
    /// Cheap test of the RFC 7983 §7 demultiplexing rule plus the magic cookie: is this datagram STUN at all?
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= HeaderLength && datagram[0] < 4 && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == MagicCookie;

    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage? message, out StunParseError error)
    {
        message = null;
        if (datagram.Length < HeaderLength)
        {
            error = StunParseError.TooShort;
            return false;
        }

        ushort rawType = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        if ((rawType & 0xC000) != 0)
        {
            error = StunParseError.NotStun;
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != MagicCookie)
        {
            error = StunParseError.BadMagicCookie;
            return false;
        }

        if ((length & 3) != 0 || HeaderLength + length != datagram.Length)
        {
            error = StunParseError.BadLength;
            return false;
        }

        byte[] raw = datagram.ToArray();
        var attributes = new List<StunAttribute>();
        int integrityOffset = -1;
        int fingerprintOffset = -1;
        int offset = HeaderLength;
        while (offset < raw.Length)
        {
            if (fingerprintOffset >= 0)
            {
                error = StunParseError.MisplacedFingerprint;
                return false;
            }

            if (raw.Length - offset < 4)
            {
                error = StunParseError.TruncatedAttribute;
                return false;
            }

            ushort attrType = BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(offset));
            int attrLength = BinaryPrimitives.ReadUInt16BigEndian(raw.AsSpan(offset + 2));
            int padded = (attrLength + 3) & ~3;
            if (raw.Length - offset - 4 < padded)
            {
                error = StunParseError.TruncatedAttribute;
                return false;
            }

            var value = new ReadOnlyMemory<byte>(raw, offset + 4, attrLength);
            if (attrType == StunAttributeType.Fingerprint)
            {
                if (attrLength != 4)
                {
                    error = StunParseError.MisplacedFingerprint;
                    return false;
                }

                fingerprintOffset = offset;
                attributes.Add(new StunAttribute(attrType, value, offset));
            }
            else if (integrityOffset < 0)
            {
                if (attrType == StunAttributeType.MessageIntegrity)
                {
                    if (attrLength != MessageIntegrityLength)
                    {
                        error = StunParseError.BadMessageIntegrity;
                        return false;
                    }

                    integrityOffset = offset;
                }

                attributes.Add(new StunAttribute(attrType, value, offset));
            }

            offset += 4 + padded;
        }

        if (fingerprintOffset >= 0)
        {
            uint expected = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(fingerprintOffset + 4));
            if (ComputeFingerprint(raw.AsSpan(0, fingerprintOffset)) != expected)
            {
                error = StunParseError.BadFingerprint;
                return false;
            }
        }

        message = new StunMessage(raw, StunMessageType.FromUInt16(rawType), attributes, integrityOffset, fingerprintOffset);
        error = StunParseError.None;
        return true;
    }

    /// <summary>
    /// RFC 8489 §14.7: CRC-32 over the message up to FINGERPRINT, whose header length already counts the
    /// FINGERPRINT attribute because it is last; XOR'ed with 0x5354554E.
    /// </summary>
    public static uint ComputeFingerprint(ReadOnlySpan<byte> messageBeforeFingerprint) =>
        Crc32.Compute(messageBeforeFingerprint) ^ FingerprintXor;

    public bool TryGetAttribute(ushort type, out ReadOnlyMemory<byte> value)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Type == type)
            {
                value = attribute.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    public bool HasAttribute(ushort type) => TryGetAttribute(type, out _);

    /// <summary>USERNAME as UTF-8 text, or null when absent or not valid UTF-8.</summary>
    public string? GetUsername()
    {
        if (!TryGetAttribute(StunAttributeType.Username, out var value))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(value.Span);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    public uint? GetPriority() =>
        TryGetAttribute(StunAttributeType.Priority, out var value) && value.Length == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(value.Span)
            : null;

    public ulong? GetTieBreaker(ushort controlAttributeType) =>
        TryGetAttribute(controlAttributeType, out var value) && value.Length == 8
            ? BinaryPrimitives.ReadUInt64BigEndian(value.Span)
            : null;

    public IPEndPoint? GetXorMappedAddress() =>
        TryGetAttribute(StunAttributeType.XorMappedAddress, out var value)
        && StunXorAddress.TryDecode(value.Span, TransactionId, out var endPoint)
            ? endPoint
            : null;

    public StunErrorCode? GetErrorCode() =>
        TryGetAttribute(StunAttributeType.ErrorCode, out var value) && StunErrorCode.TryDecode(value.Span, out var code)
            ? code
            : null;

    /// <summary>
    /// Checks MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 keyed with the short-term password over the
    /// message up to the attribute, with the header length rewritten to end just after MESSAGE-INTEGRITY.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (MessageIntegrityOffset < 0)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MessageIntegrityLength];
        ComputeMessageIntegrity(_raw.AsSpan(0, MessageIntegrityOffset), key, mac);
        return CryptographicOperations.FixedTimeEquals(mac, _raw.AsSpan(MessageIntegrityOffset + 4, MessageIntegrityLength));
    }

    /// <summary>HMAC-SHA1 of <paramref name="messageBeforeIntegrity"/> with its length field adjusted (RFC 8489 §14.5).</summary>
    internal static void ComputeMessageIntegrity(ReadOnlySpan<byte> messageBeforeIntegrity, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        byte[] copy = messageBeforeIntegrity.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(2), (ushort)(copy.Length - HeaderLength + 4 + MessageIntegrityLength));
        HMACSHA1.HashData(key, copy, destination);
    }
}
