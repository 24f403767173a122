using RealtimeHead.Testing.Sdp;
using System.Text.Json;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Signalling;

public sealed class SessionHubTests
{
    [Fact]
    public async Task Join_DefaultAvatar_ReturnsSessionIdIceServersAndFrameSize()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();

        var join = await client.InvokeAsync("Join", "default");

        Assert.Null(join.Error);
        var value = join.Value;
        Assert.Matches("^s[0-9a-f]{16}$", value.GetProperty("sessionId").GetString());
        Assert.Equal("default", value.GetProperty("avatarId").GetString());
        Assert.Equal(32, value.GetProperty("frameSize").GetInt32());
        var servers = value.GetProperty("iceServers");
        Assert.Equal(2, servers.GetArrayLength());
        Assert.Equal("stun:stun.example.org:3478", servers[0].GetProperty("urls")[0].GetString());
        Assert.Equal("user", servers[1].GetProperty("username").GetString());
        Assert.Equal("secret", servers[1].GetProperty("credential").GetString());
        Assert.Equal(1, server.Get<SessionManager>().Count);
    }

    [Fact]
    public async Task JoinOfferLeave_ChromiumOffer_AnswersThenReturnsEveryResource()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();
        var endpoint = server.Get<WebRtcEndpointHost>().Endpoint;
        var device = server.Get<RenderDevice>();

        Assert.Null((await client.InvokeAsync("Join", "default")).Error);
        var offer = await client.InvokeAsync("Offer", ChromiumOffer.Text);

        Assert.Null(offer.Error);
        var answer = offer.Value.GetString()!;
        Assert.StartsWith("v=0\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("a=ice-lite", answer, StringComparison.Ordinal);
        Assert.Contains("a=setup:passive", answer, StringComparison.Ordinal);
        Assert.Contains($" {endpoint.Port} typ host", answer, StringComparison.Ordinal);
        Assert.Contains(endpoint.LocalFingerprint, answer, StringComparison.Ordinal);
        Assert.Equal(1, endpoint.SessionCount);
        Assert.Equal(1, device.Scheduler.SessionCount);

        var leave = await client.InvokeAsync("Leave");

        Assert.Null(leave.Error);
        Assert.Equal(0, server.Get<SessionManager>().Count);
        Assert.Equal(0, endpoint.SessionCount);
        Assert.Equal(0, device.Scheduler.SessionCount);

        // Only the server's own hold on the default portrait remains.
        Assert.Equal(1, server.Get<PortraitCache>().Count);
        Assert.Equal(server.Renderer.Encoded - 1, server.Renderer.Released);
    }

    [Fact]
    public async Task JoinOfferLeave_TwentyCycles_ReturnEveryResourceEachTime()
    {
        await using var server = await ServerFixture.StartAsync();
        var endpoint = server.Get<WebRtcEndpointHost>().Endpoint;
        var scheduler = server.Get<RenderDevice>().Scheduler;
        await using var client = await server.ConnectAsync();
        var sessionIds = new HashSet<string>();

        for (var cycle = 0; cycle < 20; cycle++)
        {
            var join = await client.InvokeAsync("Join", "default");
            Assert.Null(join.Error);
            Assert.True(sessionIds.Add(join.Value.GetProperty("sessionId").GetString()!));
            Assert.Null((await client.InvokeAsync("Offer", ChromiumOffer.Text)).Error);
            Assert.Equal(1, endpoint.SessionCount);
            Assert.Null((await client.InvokeAsync("Leave")).Error);
            Assert.Equal(0, endpoint.SessionCount);
            Assert.Equal(0, scheduler.SessionCount);
        }

        Assert.Equal(0, server.Get<SessionManager>().Count);
        Assert.Equal(20, endpoint.GetCounters().SessionsCreated);
        Assert.Equal(server.Renderer.Encoded - 1, server.Renderer.Released);
    }

    [Fact]
    public async Task Offer_Twice_SecondFailsWithBadMessage()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.InvokeAsync("Join", "default");
        Assert.Null((await client.InvokeAsync("Offer", ChromiumOffer.Text)).Error);

        var second = await client.InvokeAsync("Offer", ChromiumOffer.Text);

        Assert.Equal(SessionErrorCode.BadMessage, second.ErrorCode);
    }

    [Fact]
    public async Task Join_UnknownAvatar_FailsWithUnknownAvatar()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();

        var join = await client.InvokeAsync("Join", "a0123456789abcdef");
        var pathLike = await client.InvokeAsync("Join", "../../etc/passwd");

        Assert.Equal(SessionErrorCode.UnknownAvatar, join.ErrorCode);
        Assert.Contains("a0123456789abcdef", join.Error, StringComparison.Ordinal);
        Assert.Equal(SessionErrorCode.UnknownAvatar, pathLike.ErrorCode);
        Assert.Equal(0, server.Get<SessionManager>().Count);
    }

    [Fact]
    public async Task Join_UploadedPortrait_Succeeds()
    {
        await using var server = await ServerFixture.StartAsync();
        var upload = server.Get<AvatarStore>().Add(TestImages.Png(96, 80));
        await using var client = await server.ConnectAsync();

        var join = await client.InvokeAsync("Join", upload.Avatar!.Id);

        Assert.Null(join.Error);
        Assert.Equal(upload.Avatar.Id, join.Value.GetProperty("avatarId").GetString());
    }

    [Fact]
    public async Task Offer_NotAnSdp_FailsWithOfferRejectedAndTheReason()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.InvokeAsync("Join", "default");

        var offer = await client.InvokeAsync("Offer", "this is not an SDP offer");
        var noOpus = await client.InvokeAsync("Offer", ChromiumOffer.Text.Replace("opus/48000/2", "speex/48000/2", StringComparison.Ordinal));

        Assert.Equal(SessionErrorCode.OfferRejected, offer.ErrorCode);
        Assert.True(offer.Error!.Length > SessionErrorCode.OfferRejected.Length + 10, offer.Error);
        Assert.Equal(SessionErrorCode.OfferRejected, noOpus.ErrorCode);
        Assert.Contains("Opus", noOpus.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, server.Get<WebRtcEndpointHost>().Endpoint.SessionCount);
    }

    [Fact]
    public async Task Offer_BeforeJoin_FailsWithBadMessage()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();

        var offer = await client.InvokeAsync("Offer", ChromiumOffer.Text);
        var empty = await client.InvokeAsync("Join", string.Empty);

        Assert.Equal(SessionErrorCode.BadMessage, offer.ErrorCode);
        Assert.Equal(SessionErrorCode.BadMessage, empty.ErrorCode);
    }

    [Fact]
    public async Task Join_BeyondMaxSessions_FailsWithCapacityFullUntilOneLeaves()
    {
        await using var server = await ServerFixture.StartAsync(s => s["RealtimeHead:Limits:MaxSessions"] = "2");
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        await using var third = await server.ConnectAsync();
        Assert.Null((await first.InvokeAsync("Join", "default")).Error);
        Assert.Null((await second.InvokeAsync("Join", "default")).Error);

        var refused = await third.InvokeAsync("Join", "default");
        await first.InvokeAsync("Leave");
        var admitted = await third.InvokeAsync("Join", "default");

        Assert.Equal(SessionErrorCode.CapacityFull, refused.ErrorCode);
        Assert.Contains("2 sessions", refused.Error, StringComparison.Ordinal);
        Assert.Null(admitted.Error);
    }

    [Fact]
    public async Task Connect_WithoutToken_IsRejected()
    {
        await using var server = await ServerFixture.StartAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync(token: null));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData("expired")]
    [InlineData("garbage")]
    public async Task Connect_InvalidToken_IsRejected(string kind)
    {
        await using var server = await ServerFixture.StartAsync();
        var token = kind switch
        {
            "wrong-key" => ServerFixture.CreateToken(key: "another-signing-key-of-at-least-32-bytes-xyz"),
            "expired" => ServerFixture.CreateToken(lifetime: TimeSpan.FromMinutes(-10)),
            _ => "not.a.jwt",
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync(token));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_IssuerAndAudienceConfigured_OnlyMatchingTokensAccepted()
    {
        await using var server = await ServerFixture.StartAsync(s =>
        {
            s["RealtimeHead:Auth:Issuer"] = "https://issuer.example";
            s["RealtimeHead:Auth:Audience"] = "realtimehead";
        });

        await using var matching = await server.ConnectAsync(ServerFixture.CreateToken(issuer: "https://issuer.example", audience: "realtimehead"));
        var wrongAudience = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync(ServerFixture.CreateToken(issuer: "https://issuer.example", audience: "other")));
        var noIssuer = await Assert.ThrowsAnyAsync<Exception>(() => server.ConnectAsync(ServerFixture.CreateToken(audience: "realtimehead")));

        Assert.Null((await matching.InvokeAsync("Join", "default")).Error);
        Assert.Contains("401", wrongAudience.Message, StringComparison.Ordinal);
        Assert.Contains("401", noIssuer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_BearerHeader_AcceptedButQueryTokenOnlyOnHubs()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.Server.CreateClient();

        using var withQuery = await http.GetAsync("/api/avatars?access_token=" + ServerFixture.CreateToken());
        using var authorized = server.CreateAuthorizedClient();
        using var withHeader = await authorized.GetAsync("/api/avatars");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, withQuery.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, withHeader.StatusCode);
    }

    [Fact]
    public async Task Connect_DevelopmentMode_AcceptsWithoutToken()
    {
        await using var server = await ServerFixture.StartAsync(s =>
        {
            s["RealtimeHead:Auth:Mode"] = "Development";
            s["RealtimeHead:Auth:SigningKey"] = string.Empty;
        });
        await using var client = await server.ConnectAsync(token: null);

        var join = await client.InvokeAsync("Join", "default");

        Assert.Null(join.Error);
    }

    [Fact]
    public async Task MalformedMessages_GetErrors_WhileAnotherConnectionKeepsWorking()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var healthy = await server.ConnectAsync();
        await using var wrongTypes = await server.ConnectAsync();
        await using var garbage = await server.ConnectAsync();

        // Arguments that do not bind: a completion with an error, the connection stays usable.
        var badArguments = await wrongTypes.InvokeAsync("Join", 42, "extra");
        var unknownMethod = await wrongTypes.InvokeAsync("NoSuchMethod");
        var badCandidate = await wrongTypes.InvokeAsync("AddIceCandidate", new { candidate = "candidate:x", sdpMid = "0", sdpMLineIndex = 0 });
        var stillWorks = await wrongTypes.InvokeAsync("Join", "default");

        // Text that is not JSON: the server closes that connection with an error.
        await garbage.SendRawAsync("{this is not json\u001e");
        var closeError = await garbage.Closed.WaitAsync(TimeSpan.FromSeconds(10));

        var join = await healthy.InvokeAsync("Join", "default");

        Assert.NotNull(badArguments.Error);
        Assert.NotNull(unknownMethod.Error);
        Assert.Equal(SessionErrorCode.BadMessage, badCandidate.ErrorCode);
        Assert.Null(stillWorks.Error);
        Assert.NotNull(closeError);
        Assert.Null(join.Error);
        Assert.Equal(2, server.Get<SessionManager>().Count);
    }

    [Fact]
    public async Task AddIceCandidate_ValidOrEndOfCandidates_Accepted()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();
        var beforeJoin = await client.InvokeAsync("AddIceCandidate", new { candidate = "candidate:1 1 udp 2122260223 192.168.1.23 54321 typ host", sdpMid = "0", sdpMLineIndex = 0 });
        await client.InvokeAsync("Join", "default");

        var host = await client.InvokeAsync("AddIceCandidate", new { candidate = "candidate:1467250027 1 udp 2122260223 192.168.1.23 54321 typ host generation 0", sdpMid = "0", sdpMLineIndex = 0 });
        var end = await client.InvokeAsync("AddIceCandidate", new { candidate = string.Empty, sdpMid = "0", sdpMLineIndex = 0 });

        Assert.Equal(SessionErrorCode.BadMessage, beforeJoin.ErrorCode);
        Assert.Null(host.Error);
        Assert.Null(end.Error);
    }

    [Fact]
    public async Task Disconnect_WithoutLeave_TearsTheSessionDown()
    {
        await using var server = await ServerFixture.StartAsync();
        var client = await server.ConnectAsync();
        await client.InvokeAsync("Join", "default");
        await client.InvokeAsync("Offer", ChromiumOffer.Text);
        var endpoint = server.Get<WebRtcEndpointHost>().Endpoint;
        Assert.Equal(1, endpoint.SessionCount);

        await client.DisposeAsync();

        await Eventually.TrueAsync(() => server.Get<SessionManager>().Count == 0 && endpoint.SessionCount == 0);
        Assert.Equal(0, server.Get<RenderDevice>().Scheduler.SessionCount);
    }

    [Fact]
    public async Task PeerHandshakeTimeout_EndsTheSession_AndTellsTheClient()
    {
        await using var server = await ServerFixture.StartAsync(s => s["RealtimeHead:WebRtc:HandshakeTimeout"] = "00:00:01");
        await using var client = await server.ConnectAsync();
        var sessionId = (await client.InvokeAsync("Join", "default")).Value.GetProperty("sessionId").GetString();
        await client.InvokeAsync("Offer", ChromiumOffer.Text);

        // No browser answers ICE: the peer closes after the handshake timeout, as it does when consent is lost.
        var ended = await client.NextServerInvocationAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("SessionEnded", ended.GetProperty("target").GetString());
        var message = ended.GetProperty("arguments")[0];
        Assert.Equal(sessionId, message.GetProperty("sessionId").GetString());
        Assert.Equal(SessionCloseReason.PeerClosed, message.GetProperty("reason").GetString());
        Assert.Equal(0, server.Get<SessionManager>().Count);
        Assert.Equal(0, server.Get<WebRtcEndpointHost>().Endpoint.SessionCount);
    }

    [Fact]
    public async Task BargeIn_AfterOffer_ReturnsThePositionSent()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();
        var early = await client.InvokeAsync("BargeIn");
        await client.InvokeAsync("Join", "default");
        await client.InvokeAsync("Offer", ChromiumOffer.Text);

        var bargeIn = await client.InvokeAsync("BargeIn");

        Assert.Equal(SessionErrorCode.BadMessage, early.ErrorCode);
        Assert.Null(bargeIn.Error);
        var value = bargeIn.Value;
        // No browser is connected: no audio was sent (-1), so the acknowledged position is the start of the media clock.
        Assert.Contains(value.GetProperty("complete").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal(-1, value.GetProperty("audioEnd").GetInt64());
        Assert.Equal(0, value.GetProperty("emittedMilliseconds").GetDouble());

        // Idle frames may have been sent (the face never stops); their timestamps sit on the 25 fps grid (1920 samples).
        var lastVideo = value.GetProperty("lastVideoTimestamp").GetInt64();
        Assert.True(lastVideo == -1 || lastVideo % 1920 == 0, $"last video timestamp {lastVideo}");
    }

    [Fact]
    public async Task Leave_Twice_IsHarmless()
    {
        await using var server = await ServerFixture.StartAsync();
        await using var client = await server.ConnectAsync();
        await client.InvokeAsync("Join", "default");

        var first = await client.InvokeAsync("Leave");
        var second = await client.InvokeAsync("Leave");
        var rejoin = await client.InvokeAsync("Join", "default");

        Assert.Null(first.Error);
        Assert.Null(second.Error);
        Assert.Null(rejoin.Error);
        Assert.NotEqual(JsonValueKind.Undefined, rejoin.Value.ValueKind);
    }
}
