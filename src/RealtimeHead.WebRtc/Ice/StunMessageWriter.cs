using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>
/// Builds one STUN message attribute by attribute (RFC 8489 §5, §14). MESSAGE-INTEGRITY and FINGERPRINT
/// are computed over what was written before them, so add them last and in that order.
/// </summary>
internal sealed class StunMessageWriter
{
    private readonly byte _paddingByte;
    private byte[] _buffer = new byte[128];
    private int _length;
    private bool _hasIntegrity;
    private bool _hasFingerprint;

    /// <param name="type">Message type.</param>
    /// <param name="transactionId">12-byte transaction id (RFC 8489 §6).</param>
    /// <param name="paddingByte">
    /// Value of padding bytes. RFC 8489 §14 says zero; RFC 5769's vectors pad with spaces, so tests pass 0x20
    /// to reproduce them byte for byte.
    /// </param>
    public StunMessageWriter(StunMessageType type, ReadOnlySpan<byte> transactionId, byte paddingByte = 0)
    {
        if (transactionId.Length != StunMessage.TransactionIdLength)
        {
            throw new ArgumentException("A STUN transaction id is 12 bytes (RFC 8489 §6).", nameof(transactionId));
        }

        _paddingByte = paddingByte;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer, type.ToUInt16());
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(4), StunMessage.MagicCookie);
        transactionId.CopyTo(_buffer.AsSpan(8));
        _length = StunMessage.HeaderLength;
        UpdateLength();
    }

    public StunMessageWriter AddAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        if (_hasFingerprint)
        {
            throw new InvalidOperationException("FINGERPRINT must be the last attribute (RFC 8489 §14.7).");
        }

        if (_hasIntegrity && type != StunAttributeType.Fingerprint)
        {
            throw new InvalidOperationException("Only FINGERPRINT may follow MESSAGE-INTEGRITY (RFC 8489 §14.5).");
        }

        if (value.Length > ushort.MaxValue)
        {
            throw new ArgumentException("A STUN attribute value is at most 65535 bytes.", nameof(value));
        }

        int padded = (value.Length + 3) & ~3;
        EnsureCapacity(4 + padded);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length + 2), (ushort)value.Length);
        value.CopyTo(_buffer.AsSpan(_length + 4));
        _buffer.AsSpan(_length + 4 + value.Length, padded - value.Length).Fill(_paddingByte);
        _length += 4 + padded;
        UpdateLength();
        return this;
    }

    public StunMessageWriter AddUsername(string username) => AddAttribute(StunAttributeType.Username, Encoding.UTF8.GetBytes(username));

    public StunMessageWriter AddSoftware(string software) => AddAttribute(StunAttributeType.Software, Encoding.UTF8.GetBytes(software));

    public StunMessageWriter AddPriority(uint priority)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        return AddAttribute(StunAttributeType.Priority, value);
    }

    /// <summary>USE-CANDIDATE has no value (RFC 8445 §7.1.2).</summary>
    public StunMessageWriter AddUseCandidate() => AddAttribute(StunAttributeType.UseCandidate, []);

    public StunMessageWriter AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    public StunMessageWriter AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public StunMessageWriter AddXorMappedAddress(IPEndPoint endPoint) =>
        AddAttribute(StunAttributeType.XorMappedAddress, StunXorAddress.Encode(endPoint, _buffer.AsSpan(8, StunMessage.TransactionIdLength)));

    public StunMessageWriter AddErrorCode(int code, string reason) =>
        AddAttribute(StunAttributeType.ErrorCode, new StunErrorCode(code, reason).Encode());

    /// <summary>RFC 8489 §14.5: HMAC-SHA1 keyed with the short-term credential (the ICE password's UTF-8 bytes).</summary>
    public StunMessageWriter AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        Span<byte> mac = stackalloc byte[20];
        StunMessage.ComputeMessageIntegrity(_buffer.AsSpan(0, _length), key, mac);
        AddAttribute(StunAttributeType.MessageIntegrity, mac);
        _hasIntegrity = true;
        return this;
    }

    /// <summary>RFC 8489 §14.7: CRC-32 of everything before it, with the length already counting it.</summary>
    public StunMessageWriter AddFingerprint()
    {
        int before = _length;
        Span<byte> placeholder = stackalloc byte[4];
        AddAttribute(StunAttributeType.Fingerprint, placeholder);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(before + 4), StunMessage.ComputeFingerprint(_buffer.AsSpan(0, before)));
        _hasFingerprint = true;
        return this;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private StunMessageWriter AddUInt64(ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return AddAttribute(type, bytes);
    }

    private void UpdateLength() =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), (ushort)(_length - StunMessage.HeaderLength));

    private void EnsureCapacity(int extra)
    {
        if (_length + extra > ushort.MaxValue + StunMessage.HeaderLength)
        {
            throw new InvalidOperationException("A STUN message is at most 65535 bytes of attributes.");
        }

        if (_length + extra > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + extra));
        }
    }
}
