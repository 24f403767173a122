namespace RealtimeHead.WebRtc.Ice;

/// <summary>Why a datagram is not an acceptable STUN message; callers count these and drop the datagram.</summary>
internal enum StunParseError
{
    None = 0,

    /// <summary>Shorter than the 20-byte header.</summary>
    TooShort,

    /// <summary>The two most significant bits are not zero (RFC 8489 §6), so this is not STUN.</summary>
    NotStun,

    /// <summary>The magic cookie is not 0x2112A442 (RFC 8489 §6); RFC 3489 messages are not served.</summary>
    BadMagicCookie,

    /// <summary>The header length is not a multiple of 4 or disagrees with the datagram size.</summary>
    BadLength,

    /// <summary>An attribute runs past the end of the message.</summary>
    TruncatedAttribute,

    /// <summary>FINGERPRINT is not the last attribute or has the wrong size (RFC 8489 §14.7).</summary>
    MisplacedFingerprint,

    /// <summary>FINGERPRINT does not match the CRC-32 of the message.</summary>
    BadFingerprint,

    /// <summary>MESSAGE-INTEGRITY does not have its 20-byte size (RFC 8489 §14.5).</summary>
    BadMessageIntegrity,
}
