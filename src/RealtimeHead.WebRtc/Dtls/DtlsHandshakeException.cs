namespace RealtimeHead.WebRtc.Dtls;

/// <summary>Why a DTLS-SRTP handshake did not produce keys.</summary>
internal enum DtlsHandshakeFailure
{
    /// <summary>The expected fingerprint from the remote SDP could not be parsed.</summary>
    InvalidExpectedFingerprint,

    /// <summary>The client certificate's fingerprint differs from the one in the remote SDP (RFC 8122 §5).</summary>
    FingerprintMismatch,

    /// <summary>The client sent no certificate although WebRTC requires one (RFC 8827 §6.5).</summary>
    MissingClientCertificate,

    /// <summary>The client offered no use_srtp extension with SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.1).</summary>
    NoCommonSrtpProfile,

    /// <summary>The client sent a fatal alert.</summary>
    PeerAlert,

    /// <summary>The handshake did not finish within <see cref="DtlsServerOptions.HandshakeTimeout"/>.</summary>
    Timeout,

    /// <summary>The server was disposed during the handshake.</summary>
    Aborted,

    /// <summary>Any other TLS failure (bad messages, no common cipher suite, bad signature).</summary>
    ProtocolError,
}

/// <summary>A DTLS handshake failed; <see cref="Failure"/> says why and the message says what to check.</summary>
internal sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException(DtlsHandshakeFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public DtlsHandshakeFailure Failure { get; }
}
