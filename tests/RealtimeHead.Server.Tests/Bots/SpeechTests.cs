using System.Net;
using System.Text.Json;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class SpeechTests
{
    private const string Sentence = "Hello, I am the kiosk. How can I help you today?";

    [Fact]
    public async Task Speak_ASentence_Answers202WithAPlausibleDurationAndTheFaceSpeaksIt()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var http = host.Server.CreateAuthorizedClient();

        using var response = await http.PostAsync($"/api/sessions/{sessionId}/speech",
            BotEndpointsTests.Json("""{ "text": "Hello, I am the kiosk. How can I help you today?", "voice": "en-us", "rate": 170, "pitch": 50 }"""));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Matches("^u[0-9a-f]{12}$", accepted.GetProperty("utteranceId").GetString());
        Assert.Equal(sessionId, accepted.GetProperty("sessionId").GetString());
        Assert.Equal(0, accepted.GetProperty("queuedAheadMs").GetDouble());

        // Eleven words at 170 words per minute with two pauses: about 3-4 s.
        var duration = accepted.GetProperty("durationMs").GetDouble();
        Assert.InRange(duration, 2000, 6000);
        var voice = host.Voice(sessionId);
        Assert.Equal(VoiceSourceKind.Speech, voice.Source);
        await Eventually.TrueAsync(() => voice.FramesPlayed >= 25, TimeSpan.FromSeconds(10));
        await host.AssertFaceMovedAsync();
        using var list = JsonDocument.Parse(await http.GetStringAsync("/api/sessions"));
        Assert.Equal("speech", list.RootElement[0].GetProperty("voiceSource").GetString());
    }

    [Fact]
    public async Task Speak_SecondUtterance_IsQueuedBehindTheFirst()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var http = host.Server.CreateAuthorizedClient();

        using var first = await http.PostAsync($"/api/sessions/{sessionId}/speech", BotEndpointsTests.Json("""{"text":"One two three four five."}"""));
        using var second = await http.PostAsync($"/api/sessions/{sessionId}/speech", BotEndpointsTests.Json("""{"text":"Six."}"""));

        var firstDuration = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("durationMs").GetDouble();
        var ahead = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("queuedAheadMs").GetDouble();
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);

        // What is ahead is the first utterance less what already played (at most the time between the two posts).
        Assert.InRange(ahead, firstDuration - 1000, firstDuration);
    }

    [Theory]
    [InlineData("""{"text":""}""", HttpStatusCode.BadRequest, BotErrorCode.BadSpeech)]
    [InlineData("""{"voice":"en"}""", HttpStatusCode.BadRequest, BotErrorCode.BadSpeech)]
    [InlineData("""{"text":"hi",""", HttpStatusCode.BadRequest, BotErrorCode.BadSpeech)]
    [InlineData("""["text"]""", HttpStatusCode.BadRequest, BotErrorCode.BadSpeech)]
    [InlineData("""{"text":"hi","rate":"fast"}""", HttpStatusCode.BadRequest, BotErrorCode.BadSpeech)]
    [InlineData("""{"text":"hi","voice":"xx-no-such-voice"}""", HttpStatusCode.BadRequest, BotErrorCode.BadVoice)]
    [InlineData("""{"text":"hi","voice":"--help"}""", HttpStatusCode.BadRequest, BotErrorCode.BadVoice)]
    [InlineData("""{"text":"hi","voice":"en us; rm"}""", HttpStatusCode.BadRequest, BotErrorCode.BadVoice)]
    [InlineData("""{"text":"hi","rate":1000}""", HttpStatusCode.BadRequest, BotErrorCode.BadVoice)]
    [InlineData("""{"text":"hi","pitch":-1}""", HttpStatusCode.BadRequest, BotErrorCode.BadVoice)]
    public async Task Speak_BadRequest_AnswersTheDocumentedProblem(string body, HttpStatusCode status, string code)
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var http = host.Server.CreateAuthorizedClient();

        using var response = await http.PostAsync($"/api/sessions/{sessionId}/speech", BotEndpointsTests.Json(body));

        await BotEndpointsTests.AssertProblemAsync(response, status, code);
        Assert.Contains($"realtimehead_server_bots_refused_total{{reason=\"{code}\"}} 1\n", await host.MetricsAsync(), StringComparison.Ordinal);
        Assert.Equal(VoiceSourceKind.Microphone, host.Voice(sessionId).Source);
    }

    [Fact]
    public async Task Speak_TextOverTheLimitOrNotJson_AnswersTooLongOrBadSpeech()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var http = host.Server.CreateAuthorizedClient();

        using var tooLong = await http.PostAsync($"/api/sessions/{sessionId}/speech",
            BotEndpointsTests.Json(JsonSerializer.Serialize(new { text = new string('a', 201) })));
        using var notJson = await http.PostAsync($"/api/sessions/{sessionId}/speech", new StringContent("hello", System.Text.Encoding.UTF8, "text/plain"));
        using var huge = await http.PostAsync($"/api/sessions/{sessionId}/speech", BotEndpointsTests.Json(new string(' ', 1 << 20)));

        await BotEndpointsTests.AssertProblemAsync(tooLong, HttpStatusCode.RequestEntityTooLarge, BotErrorCode.SpeechTooLong);
        await BotEndpointsTests.AssertProblemAsync(notJson, HttpStatusCode.BadRequest, BotErrorCode.BadSpeech);
        await BotEndpointsTests.AssertProblemAsync(huge, HttpStatusCode.RequestEntityTooLarge, BotErrorCode.SpeechTooLong);
    }

    [Fact]
    public async Task Speak_EspeakMissing_Answers503SpeechUnavailable()
    {
        await using var host = await BotTestHost.StartAsync(s => s["RealtimeHead:Bots:EspeakPath"] = "/nonexistent/espeak-ng");
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var http = host.Server.CreateAuthorizedClient();

        using var response = await http.PostAsync($"/api/sessions/{sessionId}/speech", BotEndpointsTests.Json("""{"text":"hello"}"""));

        await BotEndpointsTests.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, BotErrorCode.SpeechUnavailable);
        Assert.Equal(VoiceSourceKind.Microphone, host.Voice(sessionId).Source);
    }

    [Fact]
    public async Task Speak_WhileAPushSocketIsOpen_Answers409VoiceBusy()
    {
        await using var host = await BotTestHost.StartAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;
        using var socket = await host.ConnectPushAsync(sessionId, "format=opus");
        using var http = host.Server.CreateAuthorizedClient();

        using var response = await http.PostAsync($"/api/sessions/{sessionId}/speech", BotEndpointsTests.Json("""{"text":"hello"}"""));

        await BotEndpointsTests.AssertProblemAsync(response, HttpStatusCode.Conflict, BotErrorCode.VoiceBusy);
    }

    [Fact]
    public async Task HubSpeak_OwnSession_QueuesTheUtteranceAndRefusesBeforeJoin()
    {
        await using var host = await BotTestHost.StartAsync();
        await using var stranger = await host.Server.ConnectAsync();
        var (client, sessionId) = await host.JoinAsync();
        await using var _ = client;

        var spoken = await client.InvokeAsync("Speak", "Good morning.", null);
        var badVoice = await client.InvokeAsync("Speak", "Good morning.", "no such voice");
        var notJoined = await stranger.InvokeAsync("Speak", "Good morning.", "en");

        Assert.Null(spoken.Error);
        Assert.Equal(sessionId, spoken.Value.GetProperty("sessionId").GetString());
        Assert.InRange(spoken.Value.GetProperty("durationMs").GetDouble(), 300, 3000);
        Assert.Equal(BotErrorCode.BadVoice, badVoice.ErrorCode);
        Assert.Equal(SessionErrorCode.BadMessage, notJoined.ErrorCode);
        await Eventually.TrueAsync(() => host.Voice(sessionId).FramesPlayed > 10);
    }
}
