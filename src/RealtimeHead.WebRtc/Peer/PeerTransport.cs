using System.Net;
using System.Text;
using RealtimeHead.WebRtc.Dtls;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Rtcp;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Srtp;
using RealtimeHead.WebRtc.Transport;

namespace RealtimeHead.WebRtc.Peer;

/// <summary>The header extensions one outbound stream carries; ids are those negotiated in SDP, null when not negotiated.</summary>
internal sealed record OutboundStreamExtensions(int? MidId, string Mid, int? AbsSendTimeId);

/// <summary>
/// The send side of one session on the shared socket: everything goes to the ICE-selected remote endpoint
/// (or, before nomination, the last endpoint that passed a check, which is where Chromium's DTLS comes from).
/// RTP and RTCP are serialised into per-kind buffers with the SRTP overhead spare, protected in place and sent.
/// Also the DTLS "datagram out" (<see cref="IDatagramSender"/>).
/// </summary>
internal sealed class PeerTransport : IDatagramSender
{
    private const int MaxDatagram = 1500;

    private readonly SharedUdpListener _listener;
    private readonly IceLiteAgent _agent;
    private readonly TimeProvider _time;
    private readonly Dictionary<uint, (OutboundStreamExtensions Extensions, byte[] Mid)> _streams = [];
    private readonly byte[] _rtpBuffer = new byte[MaxDatagram + SrtpProfile.RtpOverhead + 64];
    private readonly byte[] _rtcpBuffer = new byte[MaxDatagram + SrtpProfile.RtcpOverhead + 64];
    private readonly Lock _rtpLock = new();
    private readonly Lock _rtcpLock = new();
    private IPEndPoint? _lastValidatedEndPoint;
    private SrtpSession? _srtp;
    private long _rtpSent;
    private long _rtcpSent;
    private long _notConnected;
    private long _protectFailures;

    public PeerTransport(SharedUdpListener listener, IceLiteAgent agent, TimeProvider time)
    {
        _listener = listener;
        _agent = agent;
        _time = time;
    }

    public long RtpSent => Interlocked.Read(ref _rtpSent);

    public long RtcpSent => Interlocked.Read(ref _rtcpSent);

    /// <summary>Packets dropped because there were no SRTP keys or no remote endpoint yet, or the session closed.</summary>
    public long NotConnectedDrops => Interlocked.Read(ref _notConnected);

    /// <summary>Packets SRTP refused to protect (too large, index exhausted).</summary>
    public long ProtectFailures => Interlocked.Read(ref _protectFailures);

    /// <summary>Where datagrams go now; null before any valid check.</summary>
    public IPEndPoint? RemoteEndPoint => _agent.SelectedRemoteEndPoint ?? Volatile.Read(ref _lastValidatedEndPoint);

    /// <summary>Declares an outbound stream's header extensions (before media flows).</summary>
    public void AddStream(uint ssrc, OutboundStreamExtensions extensions)
    {
        lock (_rtpLock)
        {
            _streams[ssrc] = (extensions, Encoding.ASCII.GetBytes(extensions.Mid));
        }
    }

    /// <summary>Remembers the source of an authenticated ICE check (RFC 8445 §7.3.1.4: a valid pair before nomination).</summary>
    public void OnValidCheck(IPEndPoint remote) => Volatile.Write(ref _lastValidatedEndPoint, remote);

    /// <summary>Enables RTP/RTCP once DTLS produced keys; null stops sending (teardown).</summary>
    public void SetSrtp(SrtpSession? srtp) => Volatile.Write(ref _srtp, srtp);

    /// <summary>DTLS datagram out (called from the DTLS thread).</summary>
    public void Send(ReadOnlySpan<byte> datagram)
    {
        if (RemoteEndPoint is { } remote)
        {
            _listener.Send(datagram, remote);
        }
        else
        {
            Interlocked.Increment(ref _notConnected);
        }
    }

    /// <summary>The end of the interceptor chain: stamps send-time extensions, protects and sends one RTP packet.</summary>
    public void SendRtp(RtpPacket packet)
    {
        var srtp = Volatile.Read(ref _srtp);
        var remote = RemoteEndPoint;
        if (srtp is null || remote is null)
        {
            Interlocked.Increment(ref _notConnected);
            return;
        }

        lock (_rtpLock)
        {
            if (_streams.TryGetValue(packet.Ssrc, out var stream))
            {
                packet.Extensions = BuildExtensions(stream.Extensions, stream.Mid);
            }

            int length = packet.GetSerializedLength();
            if (length > MaxDatagram)
            {
                Interlocked.Increment(ref _protectFailures);
                return;
            }

            packet.WriteTo(_rtpBuffer);
            if (srtp.ProtectRtp(_rtpBuffer, length, out int protectedLength) != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _protectFailures);
                return;
            }

            _listener.Send(_rtpBuffer.AsSpan(0, protectedLength), remote);
        }

        Interlocked.Increment(ref _rtpSent);
    }

    /// <summary>Sends RTCP packets as one compound SRTCP datagram.</summary>
    public void SendRtcp(IReadOnlyList<RtcpPacket> packets)
    {
        var srtp = Volatile.Read(ref _srtp);
        var remote = RemoteEndPoint;
        if (srtp is null || remote is null)
        {
            Interlocked.Increment(ref _notConnected);
            return;
        }

        lock (_rtcpLock)
        {
            int length = RtcpCompound.GetSerializedLength(packets);
            if (length > MaxDatagram)
            {
                Interlocked.Increment(ref _protectFailures);
                return;
            }

            RtcpCompound.WriteTo(packets, _rtcpBuffer);
            if (srtp.ProtectRtcp(_rtcpBuffer, length, out int protectedLength) != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _protectFailures);
                return;
            }

            _listener.Send(_rtcpBuffer.AsSpan(0, protectedLength), remote);
        }

        Interlocked.Increment(ref _rtcpSent);
    }

    private RtpHeaderExtension[] BuildExtensions(OutboundStreamExtensions extensions, byte[] mid)
    {
        int count = (extensions.MidId is null ? 0 : 1) + (extensions.AbsSendTimeId is null ? 0 : 1);
        if (count == 0)
        {
            return [];
        }

        var result = new RtpHeaderExtension[count];
        int i = 0;
        if (extensions.MidId is int midId)
        {
            // RFC 9143 §15.2: the mid lets the browser demultiplex BUNDLE by mid before it learns our SSRCs.
            result[i++] = new RtpHeaderExtension((byte)midId, mid);
        }

        if (extensions.AbsSendTimeId is int absId)
        {
            result[i] = new RtpHeaderExtension((byte)absId, AbsSendTime(_time.GetUtcNow()));
        }

        return result;
    }

    /// <summary>
    /// abs-send-time (webrtc.org/experiments/rtp-hdrext/abs-send-time): 24 bits, 6.18 fixed-point seconds
    /// of the send instant, i.e. the middle bits of the NTP time; REMB's receive-side estimator reads it.
    /// </summary>
    internal static byte[] AbsSendTime(DateTimeOffset now)
    {
        ulong ntp = NtpTime.FromDateTimeOffset(now).Value;
        uint value = (uint)((ntp >> 14) & 0x00FF_FFFF);
        return [(byte)(value >> 16), (byte)(value >> 8), (byte)value];
    }
}
