using RealtimeHead.Testing.SignalR;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RealtimeHead.Rendering;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Tests.TestSupport;
using RealtimeHead.Testing.Sdp;

namespace RealtimeHead.Server.Tests.Bots;

/// <summary>
/// A test server whose renderer records audio windows, with sessions that live long enough (no browser ever completes
/// the DTLS handshake here, so the handshake timeout is raised), and helpers to join, offer and push.
/// </summary>
internal sealed class BotTestHost : IAsyncDisposable
{
    private BotTestHost(ServerFixture server, RecordingRenderer renderer)
    {
        Server = server;
        Renderer = renderer;
    }

    public ServerFixture Server { get; }

    public RecordingRenderer Renderer { get; }

    public static async Task<BotTestHost> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var renderer = new RecordingRenderer();
        var server = await ServerFixture.StartAsync(settings =>
        {
            settings["RealtimeHead:WebRtc:HandshakeTimeout"] = "00:01:00";
            settings["RealtimeHead:Bots:MaxMessageBytes"] = "16384";
            settings["RealtimeHead:Bots:MaxSpeechTextLength"] = "200";
            configure?.Invoke(settings);
        }, configureServices: services => services.AddSingleton<ITalkingHeadRenderer>(renderer));
        return new BotTestHost(server, renderer);
    }

    /// <summary>A hub client that has joined (and, unless told otherwise, offered): its session id.</summary>
    public async Task<(HubTestClient Client, string SessionId)> JoinAsync(bool offer = true, string subject = "tester")
    {
        var client = await Server.ConnectAsync(ServerFixture.CreateToken(subject: subject));
        var join = await client.InvokeAsync("Join", "default");
        var sessionId = join.Value.GetProperty("sessionId").GetString()!;
        if (offer)
        {
            Assert.Null((await client.InvokeAsync("Offer", ChromiumOffer.Text)).Error);
        }

        return (client, sessionId);
    }

    public LiveSession Session(string sessionId) => Server.Get<SessionManager>().FindBySessionId(sessionId)
        ?? throw new InvalidOperationException($"No session {sessionId}.");

    public VoiceSourcePeer Voice(string sessionId) => Session(sessionId).Voice ?? throw new InvalidOperationException("No voice yet.");

    /// <summary>Opens the push WebSocket with the token in the query string (as a browser must).</summary>
    public async Task<WebSocket> ConnectPushAsync(string sessionId, string query, string? token = null)
    {
        var client = Server.Server.CreateWebSocketClient();
        var uri = new Uri($"ws://localhost/api/sessions/{sessionId}/audio?{query}&access_token={Uri.EscapeDataString(token ?? ServerFixture.CreateToken())}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await client.ConnectAsync(uri, timeout.Token);
    }

    /// <summary>The next text message of a push socket, as JSON.</summary>
    public static async Task<JsonElement> ReceiveJsonAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.Equal(WebSocketMessageType.Text, result.MessageType);
        using var document = JsonDocument.Parse(Encoding.UTF8.GetString(buffer, 0, result.Count));
        return document.RootElement.Clone();
    }

    /// <summary>Waits for the server's close frame.</summary>
    public static async Task<(WebSocketCloseStatus? Status, string? Reason)> ReceiveCloseAsync(WebSocket socket)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (result.CloseStatus, result.CloseStatusDescription);
            }
        }
    }

    public static async Task SendAsync(WebSocket socket, byte[] payload, WebSocketMessageType type = WebSocketMessageType.Binary)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.SendAsync(payload, type, true, timeout.Token);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; on timeout fails with <paramref name="describe"/>'s state.</summary>
    public static async Task UntilAsync(Func<bool> condition, Func<string> describe, double seconds = 15)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true in time: " + describe());
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits until the renderer has drawn an audio window well above the silence features (the voice reached the face).</summary>
    public async Task AssertFaceMovedAsync()
    {
        var scheduler = Server.Get<RenderDevice>().Scheduler;
        await UntilAsync(() => Renderer.MaxWindowMean > Renderer.FirstWindowMean + 3,
            () => $"max window mean {Renderer.MaxWindowMean}, silence {Renderer.FirstWindowMean}, rendered {Renderer.FramesRendered}, level {scheduler.Level}");
    }

    /// <summary>Sends mono PCM as 20 ms binary messages, as fast as the socket takes them.</summary>
    public static async Task SendPcmAsync(WebSocket socket, short[] samples, int rate)
    {
        var chunk = rate / 50;
        for (var offset = 0; offset < samples.Length; offset += chunk)
        {
            await SendAsync(socket, ToBytes(samples.AsSpan(offset, Math.Min(chunk, samples.Length - offset))));
        }
    }

    /// <summary>Little-endian 16-bit PCM bytes.</summary>
    public static byte[] ToBytes(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (var i = 0; i < samples.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    /// <summary>A voiced, speech-like test signal: 150 Hz and its harmonics (1/h), amplitude-modulated at 4 Hz.</summary>
    public static short[] Voiced(int rate, double seconds, double amplitude = 6000)
    {
        var count = (int)(rate * seconds);
        var samples = new short[count];
        for (var i = 0; i < count; i++)
        {
            var t = (double)i / rate;
            double value = 0;
            for (var h = 1; h <= 20 && 150 * h < rate / 2; h++)
            {
                value += Math.Sin(2 * Math.PI * 150 * h * t) / h;
            }

            var envelope = 0.6 + (0.4 * Math.Sin(2 * Math.PI * 4 * t));
            samples[i] = (short)Math.Clamp(amplitude * envelope * value / 2.5, short.MinValue, short.MaxValue);
        }

        return samples;
    }

    public async Task<string> MetricsAsync()
    {
        using var http = Server.Server.CreateClient();
        return await http.GetStringAsync("/metrics");
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
