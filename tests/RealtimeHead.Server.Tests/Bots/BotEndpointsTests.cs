using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class BotEndpointsTests
{
    [Fact]
    public async Task ListSessions_JoinedAndOffered_ShowsTheSessionToItsOwnUserOnly()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        var (waiting, waitingId) = await host.JoinAsync(offer: false);
        await using var __ = waiting;

        using var mine = host.Server.CreateAuthorizedClient();
        using var other = Client(host, ServerFixture.CreateToken(subject: "someone-else"));
        var sessions = JsonDocument.Parse(await mine.GetStringAsync("/api/sessions")).RootElement;
        var theirs = JsonDocument.Parse(await other.GetStringAsync("/api/sessions")).RootElement;

        Assert.Equal(2, sessions.GetArrayLength());
        var first = sessions.EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == sessionId);
        Assert.Equal("default", first.GetProperty("avatarId").GetString());
        Assert.Equal("microphone", first.GetProperty("voiceSource").GetString());
        Assert.True(first.GetProperty("hasMedia").GetBoolean());
        Assert.True(first.GetProperty("joinedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        var second = sessions.EnumerateArray().Single(s => s.GetProperty("sessionId").GetString() == waitingId);
        Assert.False(second.GetProperty("hasMedia").GetBoolean());
        Assert.Equal(0, theirs.GetArrayLength());
    }

    [Fact]
    public async Task Endpoints_WithoutAToken_Answer401()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var anonymous = host.Server.Server.CreateClient();

        using var list = await anonymous.GetAsync("/api/sessions");
        using var speech = await anonymous.PostAsync($"/api/sessions/{sessionId}/speech", Json("""{"text":"hello"}"""));
        using var audio = await anonymous.GetAsync($"/api/sessions/{sessionId}/audio?format=pcm16&rate=16000");
        var forged = await Assert.ThrowsAnyAsync<Exception>(() =>
            host.ConnectPushAsync(sessionId, "format=pcm16&rate=16000", ServerFixture.CreateToken(key: "another-key-of-at-least-32-bytes-000000000")));

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, speech.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, audio.StatusCode);
        Assert.Contains("401", forged.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Voice(sessionId).FramesPlayed);
    }

    [Fact]
    public async Task QueryToken_OnlyOnWebSocketUpgrades_PlainRequestsNeedTheHeader()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var anonymous = host.Server.Server.CreateClient();
        var token = Uri.EscapeDataString(ServerFixture.CreateToken());

        using var plain = await anonymous.GetAsync($"/api/sessions?access_token={token}");
        using var socket = await host.ConnectPushAsync(sessionId, "format=opus");

        // A token in a URL ends up in logs; it is taken only where a browser has no other way (WebSockets).
        Assert.Equal(HttpStatusCode.Unauthorized, plain.StatusCode);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, socket.State);
        Assert.Equal(VoiceSourceKind.Push, host.Voice(sessionId).Source);
    }

    [Fact]
    public async Task Endpoints_UnknownSession_Answer404UnknownSession()
    {
        await using var host = await BotTestHost.StartAsync();
        using var http = host.Server.CreateAuthorizedClient();

        using var audio = await http.GetAsync("/api/sessions/s0123456789abcdef/audio?format=pcm16&rate=16000");
        using var speech = await http.PostAsync("/api/sessions/s0123456789abcdef/speech", Json("""{"text":"hello"}"""));

        await AssertProblemAsync(audio, HttpStatusCode.NotFound, BotErrorCode.UnknownSession);
        await AssertProblemAsync(speech, HttpStatusCode.NotFound, BotErrorCode.UnknownSession);
        Assert.Contains("realtimehead_server_bots_refused_total{reason=\"unknown_session\"} 2\n", await host.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_AnotherUsersSession_Answer403NotSessionOwner()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var intruder = Client(host, ServerFixture.CreateToken(subject: "intruder"));

        using var audio = await intruder.GetAsync($"/api/sessions/{sessionId}/audio?format=pcm16&rate=16000");
        using var speech = await intruder.PostAsync($"/api/sessions/{sessionId}/speech", Json("""{"text":"hello"}"""));

        await AssertProblemAsync(audio, HttpStatusCode.Forbidden, BotErrorCode.NotSessionOwner);
        await AssertProblemAsync(speech, HttpStatusCode.Forbidden, BotErrorCode.NotSessionOwner);
    }

    [Fact]
    public async Task Endpoints_DevelopmentMode_AnyCallerFeedsAnySession()
    {
        await using var host = await BotTestHost.StartAsync(s => s["RealtimeHead:Auth:Mode"] = "Development");
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var anonymous = host.Server.Server.CreateClient();

        var sessions = JsonDocument.Parse(await anonymous.GetStringAsync("/api/sessions")).RootElement;
        using var audio = await anonymous.GetAsync($"/api/sessions/{sessionId}/audio?format=pcm16&rate=16000");

        Assert.Equal(sessionId, sessions[0].GetProperty("sessionId").GetString());
        await AssertProblemAsync(audio, HttpStatusCode.BadRequest, BotErrorCode.NotWebSocket);
    }

    [Theory]
    [InlineData("format=wav&rate=16000", BotErrorCode.BadFormat)]
    [InlineData("rate=16000", BotErrorCode.BadFormat)]
    [InlineData("format=pcm16&rate=44100", BotErrorCode.BadRate)]
    [InlineData("format=pcm16", BotErrorCode.BadRate)]
    [InlineData("format=opus&rate=16000", BotErrorCode.BadRate)]
    [InlineData("format=pcm16&rate=16000&channels=6", BotErrorCode.BadChannels)]
    [InlineData("format=pcm16&rate=16000", BotErrorCode.NotWebSocket)]
    public async Task PushAudio_BadRequest_Answers400WithTheCodeBeforeAnyUpgrade(string query, string code)
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var http = host.Server.CreateAuthorizedClient();

        using var response = await http.GetAsync($"/api/sessions/{sessionId}/audio?{query}");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Contains($"realtimehead_server_bots_refused_total{{reason=\"{code}\"}} 1\n", await host.MetricsAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAudio_BadQueryOverAWebSocket_HandshakeFailsWith400()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;

        var failed = await Assert.ThrowsAnyAsync<Exception>(() => host.ConnectPushAsync(sessionId, "format=mp3"));

        Assert.Contains("400", failed.Message, StringComparison.Ordinal);
        Assert.Equal(VoiceSourceKind.Microphone, host.Voice(sessionId).Source);
    }

    [Fact]
    public async Task Endpoints_JoinedButNoOfferYet_Answer409SessionNotReady()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync(offer: false);
        await using var _ = client;
        using var http = host.Server.CreateAuthorizedClient();

        var push = await Assert.ThrowsAnyAsync<Exception>(() => host.ConnectPushAsync(sessionId, "format=opus"));
        using var speech = await http.PostAsync($"/api/sessions/{sessionId}/speech", Json("""{"text":"hello"}"""));

        Assert.Contains("409", push.Message, StringComparison.Ordinal);
        await AssertProblemAsync(speech, HttpStatusCode.Conflict, BotErrorCode.SessionNotReady);
    }

    internal static HttpClient Client(BotTestHost host, string token)
    {
        var http = host.Server.Server.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    internal static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
    }
}
