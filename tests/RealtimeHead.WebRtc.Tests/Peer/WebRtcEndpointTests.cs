using RealtimeHead.Testing.Sdp;
using System.Net;
using System.Security.Cryptography;
using RealtimeHead.Media;
using RealtimeHead.WebRtc.Dtls;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Peer;
using RealtimeHead.WebRtc.Rtcp;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Tests.Ice;
using RealtimeHead.WebRtc.Tests.Sdp;

namespace RealtimeHead.WebRtc.Tests.Peer;

public sealed class WebRtcEndpointTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static int _nextPortBlock;

    /// <summary>Each test its own port block, so parallel test classes never share a port.</summary>
    private static WebRtcEndpointOptions Options(TimeSpan? consent = null)
    {
        int start = 53000 + (Interlocked.Increment(ref _nextPortBlock) * 20 % 2000);
        return new WebRtcEndpointOptions
        {
            Ice = new IceOptions { PortRangeStart = start, PortRangeEnd = start + 19, ConsentTimeout = consent ?? TimeSpan.FromSeconds(30) },
        };
    }

    [Fact]
    public async Task CreateSessionAsync_ChromiumOffer_AnswersIceLitePassiveWithTheSharedPort()
    {
        await using var endpoint = WebRtcEndpoint.Start(Options());
        var (session, answer) = await endpoint.CreateSessionAsync(ChromiumOffer.Text);

        Assert.Equal(1, endpoint.SessionCount);
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", answer, StringComparison.Ordinal);
        Assert.Contains("a=fingerprint:" + endpoint.LocalFingerprint, answer, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1 {endpoint.Port} typ host", answer, StringComparison.Ordinal);
        Assert.Contains("goog-remb", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("transport-cc", answer, StringComparison.Ordinal);
        Assert.StartsWith("ps-", session.SessionId, StringComparison.Ordinal);
        Assert.Null(session.CloseReason);
        Assert.False(session.IsConnected);
        await session.DisposeAsync();
        Assert.Equal(0, endpoint.SessionCount);
    }

    [Fact]
    public async Task Start_BindAddressesWildcard_PublishesThePublicAddressAndReceivesOnEveryInterface()
    {
        // A container with published ports: the public address is not local, so bind 0.0.0.0 and publish the public one.
        var options = Options();
        options = options with { Ice = options.Ice with { HostAddresses = [IPAddress.Parse("203.0.113.10")], BindAddresses = [IPAddress.Any] } };
        await using var endpoint = WebRtcEndpoint.Start(options);
        var (session, answer) = await endpoint.CreateSessionAsync(ChromiumOffer.Text);

        Assert.Contains($"203.0.113.10 {endpoint.Port} typ host", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("0.0.0.0 " + endpoint.Port, answer, StringComparison.Ordinal); // no candidate for the wildcard
        using var client = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(new byte[] { 0x00, 0x01, 0x00, 0x00 }, new IPEndPoint(IPAddress.Loopback, endpoint.Port));
        var deadline = DateTime.UtcNow + Patience;
        while (endpoint.GetCounters().DatagramsReceived == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, endpoint.GetCounters().DatagramsReceived);
        await session.DisposeAsync();
    }

    [Theory]
    [InlineData("not sdp at all", "Malformed", "not valid SDP")]
    [InlineData("NoVideo", "NoVp8", "VP8")]
    [InlineData("NoFingerprint", "NoFingerprint", "fingerprint")]
    [InlineData("NoRtcpMux", "NoRtcpMux", "rtcp-mux")]
    public async Task CreateSessionAsync_BadOffer_RejectedWithReasonAndMessage(string offer, string reason, string messagePart)
    {
        await using var endpoint = WebRtcEndpoint.Start(Options());
        string text = offer switch
        {
            "NoVideo" => string.Join("\r\n", ChromiumOffer.Text.Split("\r\n").Where(l => !l.StartsWith("m=video", StringComparison.Ordinal)))
                .Replace("m=video", "m=text", StringComparison.Ordinal).Replace("VP8/90000", "XYZ/90000", StringComparison.Ordinal),
            "NoFingerprint" => string.Join("\r\n", ChromiumOffer.Text.Split("\r\n").Where(l => !l.StartsWith("a=fingerprint", StringComparison.Ordinal))),
            "NoRtcpMux" => string.Join("\r\n", ChromiumOffer.Text.Split("\r\n").Where(l => l != "a=rtcp-mux")),
            _ => offer,
        };

        var error = await Assert.ThrowsAsync<WebRtcOfferRejectedException>(() => endpoint.CreateSessionAsync(text));

        Assert.Equal(reason, error.Reason);
        Assert.Contains(messagePart, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, endpoint.SessionCount);
        Assert.Equal(1, endpoint.GetCounters().OffersRejected);
        Assert.Equal(0, endpoint.Demultiplexer.SessionCount);
    }

    [Fact]
    public async Task CreateSessionAsync_OverMaxSessions_RejectedUntilOneCloses()
    {
        await using var endpoint = WebRtcEndpoint.Start(Options() with { MaxSessions = 1 });
        var (first, _) = await endpoint.CreateSessionAsync(ChromiumOffer.Text);

        var error = await Assert.ThrowsAsync<WebRtcOfferRejectedException>(() => endpoint.CreateSessionAsync(ChromiumOffer.Text));
        Assert.Equal("TooManySessions", error.Reason);

        await first.DisposeAsync();
        var (second, _) = await endpoint.CreateSessionAsync(ChromiumOffer.Text);
        Assert.Equal(1, endpoint.SessionCount);
        await second.DisposeAsync();
    }

    [Fact]
    public void Start_InvalidOptions_ListsEveryProblem()
    {
        var options = new WebRtcEndpointOptions { MaxSessions = 0, MinVideoBitrate = 3_000_000, TickInterval = TimeSpan.Zero };

        var error = Assert.Throws<ArgumentException>(() => WebRtcEndpoint.Start(options));

        Assert.Contains("MaxSessions", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxVideoBitrate", error.Message, StringComparison.Ordinal);
        Assert.Contains("InitialVideoBitrate", error.Message, StringComparison.Ordinal);
        Assert.Contains("TickInterval", error.Message, StringComparison.Ordinal);
        Assert.Empty(new WebRtcEndpointOptions().Validate());
    }

    [Fact]
    public async Task DisposeAsync_OpenSession_CompletesAndReleasesEverything()
    {
        await using var endpoint = WebRtcEndpoint.Start(Options());
        var (session, _) = await endpoint.CreateSessionAsync(ChromiumOffer.Text);

        await session.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.True(session.Completion.IsCompletedSuccessfully);
        Assert.Equal(PeerCloseReason.Disposed, session.CloseReason);
        Assert.True(session.DtlsClosed.IsCompleted, "the DTLS thread did not end");
        Assert.True(session.InboundAudio.Completion.IsCompleted);
        Assert.Equal(0, endpoint.SessionCount);
        Assert.Equal(0, endpoint.Demultiplexer.SessionCount);
        await session.SendVideoAsync(new VideoFrame(16, 16, 0));
        Assert.Equal(1, session.GetCounters().VideoFramesDropped);
    }

    [Fact]
    public async Task Session_NoIceChecks_ClosesOnConsentLossOnTheFakeClock()
    {
        var time = new FakeTimeProvider();
        await using var endpoint = WebRtcEndpoint.Start(Options(consent: TimeSpan.FromSeconds(2)), time);
        var (session, _) = await endpoint.CreateSessionAsync(ChromiumOffer.Text);

        time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(session.Completion.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(0.2));
        await session.Completion.WaitAsync(Patience);

        Assert.Equal(PeerCloseReason.ConsentLost, session.CloseReason);
        Assert.Equal(0, endpoint.SessionCount);
    }

    [Fact]
    public async Task DisposeAsync_Endpoint_ClosesEverySession()
    {
        var endpoint = WebRtcEndpoint.Start(Options());
        var sessions = new List<PeerSession>();
        for (int i = 0; i < 3; i++)
        {
            sessions.Add((await endpoint.CreateSessionAsync(ChromiumOffer.Text)).Session);
        }

        await endpoint.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.All(sessions, s => Assert.Equal(PeerCloseReason.EndpointStopped, s.CloseReason));
        Assert.All(sessions, s => Assert.True(s.Completion.IsCompletedSuccessfully));
        Assert.Equal(0, endpoint.SessionCount);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => endpoint.CreateSessionAsync(ChromiumOffer.Text));
    }

    [Fact]
    public async Task LiveSession_BrowserSendsOpus_DecodedInOrderAndKeyframeRequestRaised()
    {
        await using var endpoint = WebRtcEndpoint.Start(Options());
        await using var browser = new TestBrowserPeer();
        var (session, answer) = await ConnectAsync(endpoint, browser);
        int keyframeRequests = 0;
        session.KeyframeRequested += () => Interlocked.Increment(ref keyframeRequests);

        await browser.SendOpusAsync(25, TimeSpan.FromMilliseconds(20));
        var frames = await ReadFramesAsync(session, 20);
        browser.SendProtectedRtcp(new PictureLossIndication { SenderSsrc = 1, MediaSsrc = VideoSsrc(answer) });
        await WaitUntilAsync(() => Volatile.Read(ref keyframeRequests) > 0);

        Assert.All(frames, f => Assert.Equal((MediaClock.SampleRate, 1, 960), (f.SampleRate, f.Channels, f.SampleCount)));
        Assert.All(frames.Zip(frames.Skip(1)), p => Assert.Equal(p.First.MediaTimestamp + 960, p.Second.MediaTimestamp));
        Assert.True(TestSignalsRms(frames.Skip(2)) > -30, "decoded audio is silent");
        Assert.Equal(1, keyframeRequests);
        var counters = session.GetCounters();
        Assert.Equal(1, counters.PliReceived);
        Assert.Equal(0, counters.SrtpDropped + counters.MalformedPackets + counters.ProcessingFaults);
    }

    [Fact]
    public async Task LiveSession_GarbageFlood_DroppedAndCountedWhileMediaFlows()
    {
        await using var endpoint = WebRtcEndpoint.Start(Options());
        await using var browser = new TestBrowserPeer();
        var (session, _) = await ConnectAsync(endpoint, browser);
        var random = new Random(7);
        using var stranger = new System.Net.Sockets.UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var server = new IPEndPoint(IPAddress.Loopback, endpoint.Port);

        // From a stranger: random bytes, fake STUN with unknown ufrags, RTP/DTLS-looking junk (RFC 7983 ranges).
        for (int i = 0; i < 1500; i++)
        {
            var junk = new byte[random.Next(1, 300)];
            random.NextBytes(junk);
            junk[0] = (i % 4) switch { 0 => junk[0], 1 => 0x80, 2 => 22, _ => 0x00 };
            await stranger.SendAsync(junk, server);
        }

        // From the authenticated endpoint: forged SRTP/SRTCP (fails the tag), garbage, and a bad ICE password.
        for (int i = 0; i < 500; i++)
        {
            var forged = new byte[random.Next(12, 300)];
            random.NextBytes(forged);
            forged[0] = 0x80;
            forged[1] = (byte)(i % 2 == 0 ? 111 : 200);
            browser.SendRaw(forged);
        }

        Assert.Equal(StunMessageClass.ErrorResponse, await browser.CheckAsync(password: "wrong-password-0123456789"));
        await browser.SendOpusAsync(25, TimeSpan.FromMilliseconds(20));
        var frames = await ReadFramesAsync(session, 20);

        Assert.True(session.IsConnected);
        Assert.Null(session.CloseReason);
        Assert.True(TestSignalsRms(frames.Skip(2)) > -30, "decoded audio is silent");
        var counters = session.GetCounters();
        var port = endpoint.GetCounters();
        Assert.Equal(0, counters.ProcessingFaults);
        Assert.Equal(0, port.HandlerFaults);
        Assert.True(counters.SrtpDropped + counters.SrtcpDropped + counters.DatagramsDroppedQueueFull >= 450, counters.ToString());
        Assert.True(port.Malformed + port.UnknownEndPoint + port.UnknownUfrag >= 1400, port.ToString());
        Assert.Equal(1, session.Agent.UnauthorizedCount);
    }

    [Fact]
    public async Task LiveSession_BrowserClosesDtls_SessionCompletesRemoteClosed()
    {
        await using var endpoint = WebRtcEndpoint.Start(Options());
        await using var browser = new TestBrowserPeer();
        var (session, _) = await ConnectAsync(endpoint, browser);

        browser.CloseDtls();
        await session.Completion.WaitAsync(Patience);

        Assert.Equal(PeerCloseReason.RemoteClosed, session.CloseReason);
        Assert.Equal(0, endpoint.SessionCount);
        Assert.Equal(0, endpoint.Demultiplexer.SessionCount);
    }

    [Fact]
    public async Task LiveSession_CertificateNotTheOffered_ClosesFingerprintMismatch()
    {
        await using var endpoint = WebRtcEndpoint.Start(Options());
        await using var browser = new TestBrowserPeer();
        var other = DtlsCertificate.Generate(TimeProvider.System);
        var (session, answer) = await endpoint.CreateSessionAsync(browser.MakeOffer(other));
        browser.UseAnswer(answer);
        Assert.Equal(StunMessageClass.SuccessResponse, await browser.CheckAsync());

        await Assert.ThrowsAnyAsync<Exception>(browser.ConnectAsync);
        await session.Completion.WaitAsync(Patience);

        Assert.Equal(PeerCloseReason.FingerprintMismatch, session.CloseReason);
        Assert.Equal(0, endpoint.SessionCount);
    }

    [Fact]
    public async Task LiveSession_ServerSendsVideoAndAudio_BrowserReceivesSrtp()
    {
        // Five frames queued at once: room for all of them (the default 3 drops the oldest, counted).
        await using var endpoint = WebRtcEndpoint.Start(Options() with { OutboundVideoQueueFrames = 8 });
        await using var browser = new TestBrowserPeer();
        var (session, _) = await ConnectAsync(endpoint, browser);

        for (int i = 0; i < 5; i++)
        {
            var frame = new VideoFrame(64, 48, i * 1920L);
            RandomNumberGenerator.Fill(frame.Y);
            await session.SendVideoAsync(frame);
            await session.SendAudioAsync(new AudioFrame(new short[1920], MediaClock.SampleRate, 1, i * 1920L));
        }

        await WaitUntilAsync(() => session.GetCounters() is { VideoFramesEncoded: 5, AudioPacketsEncoded: 10 } && browser.MediaReceived >= 15);
        var counters = session.GetCounters();
        Assert.Equal(5, counters.VideoFramesEncoded);
        Assert.Equal(10, counters.AudioPacketsEncoded);
        Assert.True(counters.KeyframesEncoded >= 1);
        Assert.True(browser.MediaReceived >= 15);
        Assert.Equal(0, counters.SendDrops);
    }

    private static async Task<(PeerSession Session, string Answer)> ConnectAsync(WebRtcEndpoint endpoint, TestBrowserPeer browser)
    {
        var (session, answer) = await endpoint.CreateSessionAsync(browser.MakeOffer());
        browser.UseAnswer(answer);
        Assert.Equal(StunMessageClass.SuccessResponse, await browser.CheckAsync());
        await browser.ConnectAsync();
        await WaitUntilAsync(() => session.IsConnected);
        Assert.True(session.IsConnected);
        return (session, answer);
    }

    private static uint VideoSsrc(string answer)
    {
        var lines = answer.Split("\r\n");
        int video = Array.FindIndex(lines, l => l.StartsWith("m=video", StringComparison.Ordinal));
        string ssrc = lines.Skip(video).First(l => l.StartsWith("a=ssrc:", StringComparison.Ordinal));
        return uint.Parse(ssrc[7..ssrc.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<AudioFrame>> ReadFramesAsync(PeerSession session, int count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var frames = new List<AudioFrame>();
        while (frames.Count < count)
        {
            frames.Add(await session.InboundAudio.ReadAsync(timeout.Token));
        }

        return frames;
    }

    private static double TestSignalsRms(IEnumerable<AudioFrame> frames) =>
        EndToEnd.TestSignals.RmsDb(frames.SelectMany(f => f.Samples).ToArray());

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}
