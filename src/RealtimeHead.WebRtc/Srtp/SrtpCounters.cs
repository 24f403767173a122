namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// Running totals of one <see cref="SrtpContext"/>: every dropped packet lands in exactly one
/// drop counter, so the session can report why media went missing. Updates are atomic.
/// </summary>
internal sealed class SrtpCounters
{
    private long _rtpProtected;
    private long _rtcpProtected;
    private long _rtpUnprotected;
    private long _rtcpUnprotected;
    private long _malformed;
    private long _authenticationFailures;
    private long _replayDrops;
    private long _otherDrops;

    public long RtpProtected => Volatile.Read(ref _rtpProtected);

    public long RtcpProtected => Volatile.Read(ref _rtcpProtected);

    public long RtpUnprotected => Volatile.Read(ref _rtpUnprotected);

    public long RtcpUnprotected => Volatile.Read(ref _rtcpUnprotected);

    /// <summary>Packets rejected as <see cref="SrtpStatus.Malformed"/> or <see cref="SrtpStatus.BufferTooSmall"/>.</summary>
    public long Malformed => Volatile.Read(ref _malformed);

    /// <summary>Packets rejected as <see cref="SrtpStatus.AuthenticationFailed"/>.</summary>
    public long AuthenticationFailures => Volatile.Read(ref _authenticationFailures);

    /// <summary>Packets rejected as <see cref="SrtpStatus.ReplayDuplicate"/> or <see cref="SrtpStatus.ReplayTooOld"/>.</summary>
    public long ReplayDrops => Volatile.Read(ref _replayDrops);

    /// <summary>Packets rejected for index exhaustion or the stream limit.</summary>
    public long OtherDrops => Volatile.Read(ref _otherDrops);

    internal SrtpStatus Count(SrtpStatus status, bool rtcp, bool protect)
    {
        switch (status)
        {
            case SrtpStatus.Ok when protect && rtcp:
                Interlocked.Increment(ref _rtcpProtected);
                break;
            case SrtpStatus.Ok when protect:
                Interlocked.Increment(ref _rtpProtected);
                break;
            case SrtpStatus.Ok when rtcp:
                Interlocked.Increment(ref _rtcpUnprotected);
                break;
            case SrtpStatus.Ok:
                Interlocked.Increment(ref _rtpUnprotected);
                break;
            case SrtpStatus.Malformed or SrtpStatus.BufferTooSmall:
                Interlocked.Increment(ref _malformed);
                break;
            case SrtpStatus.AuthenticationFailed:
                Interlocked.Increment(ref _authenticationFailures);
                break;
            case SrtpStatus.ReplayDuplicate or SrtpStatus.ReplayTooOld:
                Interlocked.Increment(ref _replayDrops);
                break;
            default:
                Interlocked.Increment(ref _otherDrops);
                break;
        }

        return status;
    }
}
