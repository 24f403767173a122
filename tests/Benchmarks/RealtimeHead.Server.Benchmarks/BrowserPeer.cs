using System.Diagnostics;
using System.Net.WebSockets;
using System.Reflection;
using System.Text.Json;
using Microsoft.Playwright;
using RealtimeHead.Testing.SignalR;

namespace RealtimeHead.Server.Benchmarks;

/// <summary>
/// One call: a Chromium page (RTCPeerConnection with the fake microphone, frame counting by requestVideoFrameCallback)
/// and its own hub connection, spoken by this process. SDP travels between the two through Playwright.
/// </summary>
internal sealed class BrowserPeer : IAsyncDisposable
{
    private static readonly string PageHtml = ReadPage();
    private readonly IPage _page;
    private HubTestClient? _hub;

    private BrowserPeer(IPage page) => _page = page;

    /// <summary>Opens a page in a new context of <paramref name="browser"/>.</summary>
    public static async Task<BrowserPeer> OpenAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync();
        // http://localhost is a secure context, which getUserMedia needs; the page is served by Playwright, not the server.
        await page.RouteAsync("http://localhost/**", route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = PageHtml }));
        await page.GotoAsync("http://localhost/bench.html");
        return new BrowserPeer(page);
    }

    /// <summary>
    /// Joins like a client: hub connect, Join, offer (getUserMedia + ICE gathering in the page), Offer, answer applied,
    /// then waits for the first frame the page presents. Times are from the Join call (hub connect excluded).
    /// </summary>
    public async Task<JoinTiming> JoinAsync(InProcessServer server, string subject, TimeSpan timeout)
    {
        _hub = await ConnectHubAsync(server.HubUri, server.CreateToken(subject));
        var joinEpoch = EpochMs();
        var clock = Stopwatch.StartNew();
        _ = (await _hub.InvokeAsync("Join", "default")).Value; // a refusal throws, naming it
        var joined = clock.Elapsed.TotalMilliseconds;
        var offer = await _page.EvaluateAsync<string>("() => makeOffer()");
        var offerMade = clock.Elapsed.TotalMilliseconds;
        var answer = (await _hub.InvokeAsync("Offer", offer)).Value.GetString()!;
        var answered = clock.Elapsed.TotalMilliseconds;
        await _page.EvaluateAsync("sdp => applyAnswer(sdp)", answer);

        PageSample sample;
        do
        {
            await Task.Delay(10);
            sample = await SampleAsync();
            if (sample.State is "failed" or "closed")
            {
                throw new InvalidOperationException($"The page's connection went {sample.State} before the first frame.");
            }
        }
        while (sample.FirstFrameEpochMs is null && clock.Elapsed < timeout);

        if (sample.FirstFrameEpochMs is not { } first)
        {
            throw new TimeoutException($"No frame was presented within {timeout.TotalSeconds:F0} s of Join (connection {sample.State}).");
        }

        return new JoinTiming(
            Join: joined,
            OfferCreated: offerMade - joined,
            OfferAnswered: answered - offerMade,
            Connected: sample.ConnectedEpochMs is { } connected ? connected - joinEpoch : double.NaN,
            FirstFrame: first - joinEpoch);
    }

    /// <summary>The page's counters now.</summary>
    public async Task<PageSample> SampleAsync()
    {
        using var document = JsonDocument.Parse(await _page.EvaluateAsync<string>("() => sample()"));
        var root = document.RootElement;
        var video = root.GetProperty("video");
        return new PageSample(
            State: root.GetProperty("state").GetString() ?? "?",
            EpochMs: root.GetProperty("epochMs").GetDouble(),
            FirstFrameEpochMs: root.GetProperty("firstFrameEpochMs").ValueKind == JsonValueKind.Number ? root.GetProperty("firstFrameEpochMs").GetDouble() : null,
            ConnectedEpochMs: root.GetProperty("connectedEpochMs").ValueKind == JsonValueKind.Number ? root.GetProperty("connectedEpochMs").GetDouble() : null,
            PresentedFrames: root.GetProperty("presentedFrames").GetInt64(),
            FramesDecoded: video.TryGetProperty("framesDecoded", out var decoded) ? decoded.GetInt64() : 0,
            FramesDropped: video.TryGetProperty("framesDropped", out var dropped) ? dropped.GetInt64() : 0,
            PacketsLost: video.TryGetProperty("packetsLost", out var lost) ? lost.GetInt64() : 0,
            Width: root.GetProperty("width").GetInt32());
    }

    /// <summary>The hub over a real WebSocket (no negotiation, which the server allows), waiting up to 30 s on a loaded machine.</summary>
    private static async Task<HubTestClient> ConnectHubAsync(Uri hub, string? accessToken)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(accessToken is null ? hub : new Uri(hub + "?access_token=" + Uri.EscapeDataString(accessToken)), timeout.Token);
        return await HubTestClient.ConnectAsync(socket, TimeSpan.FromSeconds(30));
    }

    /// <summary>Leaves (hub Leave, then the page closes its peer connection).</summary>
    public async Task LeaveAsync()
    {
        if (_hub is not null)
        {
            _ = (await _hub.InvokeAsync("Leave")).Value;
        }

        await _page.EvaluateAsync("() => close()");
    }

    public async ValueTask DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        await _page.Context.CloseAsync();
    }

    /// <summary>Milliseconds since the Unix epoch on this machine's clock, the clock the page's performance.timeOrigin uses.</summary>
    private static double EpochMs() => (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;

    private static string ReadPage()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("bench.html")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One join, in ms from the Join call: Join answered; offer made in the page; Offer answered; ICE+DTLS connected; first frame presented.</summary>
internal sealed record JoinTiming(double Join, double OfferCreated, double OfferAnswered, double Connected, double FirstFrame);

/// <summary>A page's counters at one instant (epoch ms on the page's clock).</summary>
internal sealed record PageSample(
    string State, double EpochMs, double? FirstFrameEpochMs, double? ConnectedEpochMs, long PresentedFrames, long FramesDecoded,
    long FramesDropped, long PacketsLost, int Width);
