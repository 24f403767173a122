namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// Sizes of the one SRTP protection profile RealtimeHead speaks: SRTP_AES128_CM_HMAC_SHA1_80
/// (RFC 5764 §4.1.2; transforms from RFC 3711 §4.1.1 and §4.2.1). WebRTC endpoints must offer it
/// (RFC 8827 §6.5), so it is the only one negotiated.
/// </summary>
internal static class SrtpProfile
{
    /// <summary>DTLS-SRTP protection profile id of SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.2).</summary>
    public const int DtlsProfileId = 0x0001;

    /// <summary>Master and session encryption key length in bytes (AES-128).</summary>
    public const int KeyLength = 16;

    /// <summary>Master and session salt length in bytes (112 bits, RFC 3711 §8.2).</summary>
    public const int SaltLength = 14;

    /// <summary>Session authentication key length in bytes (160 bits, RFC 3711 §8.2).</summary>
    public const int AuthKeyLength = 20;

    /// <summary>Authentication tag length in bytes (HMAC-SHA1 truncated to 80 bits).</summary>
    public const int AuthTagLength = 10;

    /// <summary>Length of the SRTCP E flag and 31-bit index word (RFC 3711 §3.4).</summary>
    public const int SrtcpIndexLength = 4;

    /// <summary>Bytes a protected RTP packet grows by.</summary>
    public const int RtpOverhead = AuthTagLength;

    /// <summary>Bytes a protected RTCP packet grows by.</summary>
    public const int RtcpOverhead = SrtcpIndexLength + AuthTagLength;
}
