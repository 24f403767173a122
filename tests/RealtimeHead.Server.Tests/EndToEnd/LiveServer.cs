using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Signalling;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.EndToEnd;

/// <summary>
/// The server as <c>Program.cs</c> builds it, on real Kestrel at a free port on 127.0.0.1 (Chromium must reach it), with
/// JWT auth (<see cref="ServerFixture.SigningKey"/>), Silero VAD when <c>artifacts/native</c> has it, the built web
/// client, and every other setting at its default except <c>Model:Renderer</c>.
/// </summary>
internal sealed class LiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CapturingLoggerProvider _log;

    private LiveServer(WebApplication app, string renderer, CapturingLoggerProvider log)
    {
        _app = app;
        _log = log;
        Renderer = renderer;
        BaseAddress = new Uri(app.Urls.Single());
    }

    /// <summary>e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; }

    public string Renderer { get; }

    public SessionManager Sessions => _app.Services.GetRequiredService<SessionManager>();

    public WebRtcEndpointHost WebRtc => _app.Services.GetRequiredService<WebRtcEndpointHost>();

    public RenderDevice RenderDevice => _app.Services.GetRequiredService<RenderDevice>();

    public static async Task<LiveServer> StartAsync(string renderer, string directory, (int Start, int End) udpPorts, int? threads = null)
    {
        var vad = Path.Combine(LiveServerFixture.RepositoryRoot, "artifacts", "native", "silero_vad.onnx");
        var settings = new Dictionary<string, string?>
        {
            ["RealtimeHead:Http:Urls:0"] = "http://127.0.0.1:0",
            ["RealtimeHead:Auth:Mode"] = "Jwt",
            ["RealtimeHead:Auth:SigningKey"] = ServerFixture.SigningKey,
            ["RealtimeHead:Avatars:Directory"] = Path.Combine(directory, "avatars"),
            ["RealtimeHead:WebRtc:UdpPortRangeStart"] = udpPorts.Start.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RealtimeHead:WebRtc:UdpPortRangeEnd"] = udpPorts.End.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RealtimeHead:WebRtc:PublicAddresses:0"] = "127.0.0.1",
            ["RealtimeHead:Model:Renderer"] = renderer,
            ["RealtimeHead:Model:VadModelPath"] = File.Exists(vad) ? vad : string.Empty,
            ["RealtimeHead:Web:Root"] = LiveServerFixture.WebDist,
        };
        if (threads is { } count)
        {
            settings["RealtimeHead:Model:Threads"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = LiveServerFixture.RepositoryRoot });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var log = new CapturingLoggerProvider();
        builder.Logging.AddProvider(log);
        builder.AddRealtimeHead();
        var app = builder.Build();
        app.MapRealtimeHead();
        await app.StartAsync();
        return new LiveServer(app, renderer, log);
    }

    /// <summary>The session with id <paramref name="sessionId"/>, if it is live.</summary>
    public LiveSession? FindSession(string sessionId) =>
        _app.Services.GetRequiredService<SessionConnections>().Snapshot()
            .Select(Sessions.Find)
            .FirstOrDefault(session => session?.SessionId == sessionId);

    /// <summary>The server's warnings and errors, one per line.</summary>
    public string DescribeLog() => string.Join("\n", _log.Entries.Select(e => $"{e.Level} {e.Category} {e.EventId}: {e.Message}"));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
