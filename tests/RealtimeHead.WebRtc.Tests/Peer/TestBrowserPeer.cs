using RealtimeHead.Testing.Sdp;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Org.BouncyCastle.Crypto.Tls;
using RealtimeHead.Codecs.Opus;
using RealtimeHead.WebRtc.Dtls;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Rtcp;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Srtp;
using RealtimeHead.WebRtc.Tests.Dtls;
using RealtimeHead.WebRtc.Tests.Sdp;

namespace RealtimeHead.WebRtc.Tests.Peer;

/// <summary>
/// A scripted browser over real loopback UDP: the Chromium offer fixture with this peer's certificate fingerprint,
/// ICE checks as the controlling agent, BouncyCastle's DTLS client, and SRTP Opus/RTCP. Lets the session tests
/// run a live session without a browser.
/// </summary>
internal sealed class TestBrowserPeer : IAsyncDisposable
{
    private readonly UdpClient _socket = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly Channel<byte[]> _stunResponses = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiveLoop;
    private readonly DtlsDatagramTransport _dtlsLink;
    private readonly OpusEncoder _opus = new(new OpusEncoderOptions { Channels = 1 });
    private IPEndPoint? _server;
    private string? _serverUfrag;
    private byte[]? _serverPassword;
    private DtlsTransport? _dtls;
    private ushort _sequence = 1000;
    private uint _timestamp = 5000;
    private long _mediaReceived;

    public TestBrowserPeer()
    {
        Certificate = DtlsCertificate.Generate(TimeProvider.System);
        _dtlsLink = new DtlsDatagramTransport(new DelegateSender(d => _socket.Send(d, d.Length, _server)), 64, 1200);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    public DtlsCertificate Certificate { get; }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    public SrtpSession? Srtp { get; private set; }

    /// <summary>SRTP/SRTCP datagrams the server sent us.</summary>
    public long MediaReceived => Interlocked.Read(ref _mediaReceived);

    /// <summary>The fixture offer, its fingerprint replaced by <paramref name="certificate"/>'s (this peer's by default).</summary>
    public string MakeOffer(DtlsCertificate? certificate = null) =>
        ChromiumOffer.Text.Replace(ChromiumOffer.FingerprintHex, (certificate ?? Certificate).Fingerprint.ToString().Split(' ')[1], StringComparison.Ordinal);

    /// <summary>Takes the server's answer: its ICE credentials and first host candidate.</summary>
    public void UseAnswer(string answer)
    {
        string Attribute(string name) => answer.Split("\r\n").First(l => l.StartsWith("a=" + name + ":", StringComparison.Ordinal))[(name.Length + 3)..];
        _serverUfrag = Attribute("ice-ufrag");
        _serverPassword = Encoding.UTF8.GetBytes(Attribute("ice-pwd"));
        var candidate = Attribute("candidate").Split(' ');
        _server = new IPEndPoint(IPAddress.Parse(candidate[4]), int.Parse(candidate[5], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>One ICE check as the controlling agent (RFC 8445 §7.2.2), nominating; returns the response's class.</summary>
    public async Task<StunMessageClass> CheckAsync(bool nominate = true, string? password = null)
    {
        var writer = new StunMessageWriter(StunMessageType.BindingRequest, RandomNumberGenerator.GetBytes(12))
            .AddUsername(_serverUfrag + ":" + ChromiumOffer.Ufrag)
            .AddPriority(1_845_501_695)
            .AddIceControlling(42);
        if (nominate)
        {
            writer.AddUseCandidate();
        }

        byte[] request = writer.AddMessageIntegrity(password is null ? _serverPassword : Encoding.UTF8.GetBytes(password)).AddFingerprint().ToArray();
        await _socket.SendAsync(request, _server);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        byte[] response = await _stunResponses.Reader.ReadAsync(timeout.Token);
        Assert.True(StunMessage.TryParse(response, out var message, out _));
        return message!.Type.Class;
    }

    /// <summary>Runs the DTLS client handshake and derives the SRTP contexts (the browser's view of the keys).</summary>
    public async Task ConnectAsync()
    {
        var client = new TestDtlsClient(Certificate);
        _dtls = await client.ConnectAsync(_dtlsLink).WaitAsync(TimeSpan.FromSeconds(10));
        Srtp = new SrtpSession(SrtpKeyingMaterial.FromDtlsExporter(client.KeyingMaterial!, isDtlsServer: false));
    }

    /// <summary>Sends close_notify, as a browser closing its RTCPeerConnection does.</summary>
    public void CloseDtls() => _dtls?.Close();

    /// <summary>Sends 20 ms Opus packets of a tone on the offer's audio SSRC and PT 111, paced in real time.</summary>
    public async Task SendOpusAsync(int packets, TimeSpan spacing)
    {
        using var timer = new PeriodicTimer(spacing);
        for (int p = 0; p < packets; p++)
        {
            var pcm = new short[960];
            for (int i = 0; i < pcm.Length; i++)
            {
                pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * (_timestamp + i) / 48000));
            }

            var rtp = new RtpPacket
            {
                PayloadType = 111,
                Ssrc = ChromiumOffer.AudioSsrc,
                SequenceNumber = _sequence++,
                Timestamp = _timestamp,
                Payload = _opus.Encode(pcm),
            };
            _timestamp += 960;
            SendProtectedRtp(rtp);
            await timer.WaitForNextTickAsync();
        }
    }

    public void SendProtectedRtp(RtpPacket rtp)
    {
        var buffer = new byte[1500];
        int length = rtp.WriteTo(buffer);
        Assert.Equal(SrtpStatus.Ok, Srtp!.ProtectRtp(buffer, length, out int protectedLength));
        _socket.Send(buffer, protectedLength, _server);
    }

    public void SendProtectedRtcp(params RtcpPacket[] packets)
    {
        var buffer = new byte[1500];
        int length = RtcpCompound.WriteTo(packets, buffer);
        Assert.Equal(SrtpStatus.Ok, Srtp!.ProtectRtcp(buffer, length, out int protectedLength));
        _socket.Send(buffer, protectedLength, _server);
    }

    /// <summary>Sends raw bytes from this peer's (authenticated) endpoint.</summary>
    public void SendRaw(byte[] datagram) => _socket.Send(datagram, datagram.Length, _server);

    private async Task ReceiveLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            switch (DatagramClassifier.Classify(received.Buffer))
            {
                case DatagramKind.Stun:
                    _stunResponses.Writer.TryWrite(received.Buffer);
                    break;
                case DatagramKind.Dtls:
                    _dtlsLink.TryDeliver(received.Buffer);
                    break;
                case DatagramKind.Rtp or DatagramKind.Rtcp:
                    Interlocked.Increment(ref _mediaReceived);
                    break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _dtlsLink.Close();
        _socket.Dispose();
        await _receiveLoop;
        _opus.Dispose();
        Srtp?.Dispose();
    }
}
