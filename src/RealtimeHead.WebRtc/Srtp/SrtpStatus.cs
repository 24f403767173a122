namespace RealtimeHead.WebRtc.Srtp;

/// <summary>Outcome of protecting or unprotecting one packet. Only <see cref="Ok"/> leaves a usable packet.</summary>
internal enum SrtpStatus
{
    /// <summary>The packet was transformed.</summary>
    Ok = 0,

    /// <summary>Too short, not RTP/RTCP version 2, or its header runs past its end.</summary>
    Malformed,

    /// <summary>The buffer given to protect has no room for the trailer (<see cref="SrtpProfile.RtpOverhead"/> / <see cref="SrtpProfile.RtcpOverhead"/>).</summary>
    BufferTooSmall,

    /// <summary>The authentication tag did not verify (RFC 3711 §3.3 step 5).</summary>
    AuthenticationFailed,

    /// <summary>The packet index was already received (RFC 3711 §3.3.2).</summary>
    ReplayDuplicate,

    /// <summary>The packet index is older than the replay window, or cannot be placed at all (RFC 3711 §3.3.2).</summary>
    ReplayTooOld,

    /// <summary>The 48-bit SRTP or 31-bit SRTCP index is used up; the keys must be renegotiated (RFC 3711 §9.2).</summary>
    IndexExhausted,

    /// <summary>A new SSRC would exceed <see cref="SrtpContextOptions.MaxStreams"/>.</summary>
    StreamLimitReached,
}
