using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>
/// A feature that watches or shapes one peer's RTP/RTCP traffic (after Pion's interceptors): every hook is a
/// no-op, so a feature overrides only what it needs. Outbound RTP flows through the chain in order (an
/// interceptor forwards, holds or duplicates packets); inbound RTP, inbound RTCP and ticks reach every
/// interceptor. Hooks may be called from different threads: interceptors guard their own state.
/// </summary>
internal abstract class RtpInterceptor
{
    private RtpInterceptorChain? _chain;
    private int _index;

    /// <summary>Outbound RTP on its way to the transport. The default forwards it unchanged.</summary>
    public virtual void SendRtp(RtpPacket packet) => ForwardRtp(packet);

    /// <summary>An inbound RTP packet (after SRTP), for observation.</summary>
    public virtual void OnInboundRtp(RtpPacket packet)
    {
    }

    /// <summary>The packets of one inbound RTCP datagram (after SRTCP).</summary>
    public virtual void OnInboundRtcp(IReadOnlyList<RtcpPacket> packets)
    {
    }

    /// <summary>Periodic call (every few milliseconds) for timers: reports, retries, pacing.</summary>
    public virtual void OnTick()
    {
    }

    /// <summary>Passes an outbound packet to the next interceptor or the transport.</summary>
    protected void ForwardRtp(RtpPacket packet) => Chain.ForwardRtp(_index + 1, packet);

    /// <summary>Sends RTCP packets as one compound datagram.</summary>
    protected void SendRtcp(IReadOnlyList<RtcpPacket> packets) => Chain.SendRtcp(packets);

    private RtpInterceptorChain Chain =>
        _chain ?? throw new InvalidOperationException($"{GetType().Name} is not part of an {nameof(RtpInterceptorChain)}.");

    internal void Bind(RtpInterceptorChain chain, int index)
    {
        if (_chain is not null)
        {
            throw new InvalidOperationException($"{GetType().Name} already belongs to a chain.");
        }

        _chain = chain;
        _index = index;
    }
}

/// <summary>
/// Connects interceptors between the media code and the transport. Outbound RTP enters the first interceptor
/// and leaves the last to <c>sendRtp</c>; RTCP they generate goes to <c>sendRtcp</c>.
/// </summary>
internal sealed class RtpInterceptorChain
{
    private readonly RtpInterceptor[] _interceptors;
    private readonly Action<RtpPacket> _sendRtp;
    private readonly Action<IReadOnlyList<RtcpPacket>> _sendRtcp;

    public RtpInterceptorChain(IEnumerable<RtpInterceptor> interceptors, Action<RtpPacket> sendRtp, Action<IReadOnlyList<RtcpPacket>> sendRtcp)
    {
        ArgumentNullException.ThrowIfNull(interceptors);
        ArgumentNullException.ThrowIfNull(sendRtp);
        ArgumentNullException.ThrowIfNull(sendRtcp);
        _interceptors = [.. interceptors];
        _sendRtp = sendRtp;
        _sendRtcp = sendRtcp;
        for (var i = 0; i < _interceptors.Length; i++)
        {
            _interceptors[i].Bind(this, i);
        }
    }

    public IReadOnlyList<RtpInterceptor> Interceptors => _interceptors;

    /// <summary>Sends an outbound packet through the chain.</summary>
    public void SendRtp(RtpPacket packet) => ForwardRtp(0, packet);

    public void ReceiveRtp(RtpPacket packet)
    {
        foreach (var interceptor in _interceptors)
        {
            interceptor.OnInboundRtp(packet);
        }
    }

    public void ReceiveRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        foreach (var interceptor in _interceptors)
        {
            interceptor.OnInboundRtcp(packets);
        }
    }

    /// <summary>Drives timers; call every few milliseconds (the pacer needs at least its burst interval).</summary>
    public void Tick()
    {
        foreach (var interceptor in _interceptors)
        {
            interceptor.OnTick();
        }
    }

    internal void ForwardRtp(int index, RtpPacket packet)
    {
        if (index < _interceptors.Length)
        {
            _interceptors[index].SendRtp(packet);
        }
        else
        {
            _sendRtp(packet);
        }
    }

    internal void SendRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        if (packets.Count > 0)
        {
            _sendRtcp(packets);
        }
    }
}
