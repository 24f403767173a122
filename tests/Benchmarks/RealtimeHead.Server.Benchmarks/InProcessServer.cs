using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RealtimeHead.Server.Benchmarks;

/// <summary>
/// RealtimeHead.Server as <c>./setup.sh serve</c> runs it (the same <c>AddRealtimeHead()</c> composition root and
/// renderer factory), in this process so its meters can be read directly: Kestrel on a free loopback port, WebRTC
/// host candidates on 127.0.0.1, Development or JWT auth, a temporary avatar directory.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _avatarDirectory;
    private readonly string? _signingKey;

    private InProcessServer(WebApplication app, string avatarDirectory, string? signingKey)
    {
        _app = app;
        _avatarDirectory = avatarDirectory;
        _signingKey = signingKey;
    }

    /// <summary>The HTTP base address Kestrel bound.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The hub's WebSocket URL.</summary>
    public Uri HubUri => new UriBuilder(BaseAddress) { Scheme = "ws", Path = RealtimeHeadEndpoints.HubPath }.Uri;

    public static async Task<InProcessServer> StartAsync(BenchmarkOptions options, string repositoryRoot)
    {
        var avatars = Directory.CreateTempSubdirectory("rh-server-bench-").FullName;
        var signingKey = options.Auth == "jwt" ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)) : null;
        var vad = Path.Combine(repositoryRoot, "artifacts", "native", "silero_vad.onnx");
        var settings = new Dictionary<string, string?>
        {
            ["RealtimeHead:Http:Urls:0"] = "http://127.0.0.1:0",
            ["RealtimeHead:WebRtc:PublicAddresses:0"] = "127.0.0.1",
            ["RealtimeHead:WebRtc:UdpPortRangeStart"] = "54000",
            ["RealtimeHead:WebRtc:UdpPortRangeEnd"] = "54099",
            ["RealtimeHead:Limits:MaxSessions"] = (options.Sessions.Max() + 1).ToString(CultureInfo.InvariantCulture),
            ["RealtimeHead:Model:Renderer"] = options.Renderer,
            ["RealtimeHead:Model:Preset"] = "tiny",
            ["RealtimeHead:Model:AdmissionQuality"] = options.Admission,
            ["RealtimeHead:Model:Threads"] = options.Threads.ToString(CultureInfo.InvariantCulture),
            ["RealtimeHead:Model:VadModelPath"] = File.Exists(vad) ? vad : string.Empty,
            ["RealtimeHead:Avatars:Directory"] = avatars,
            ["RealtimeHead:Auth:Mode"] = signingKey is null ? "Development" : "Jwt",
            ["RealtimeHead:Auth:SigningKey"] = signingKey,
        };

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        // Logs go to stderr with the progress lines; stdout carries only the markdown tables.
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // A refused Join is a measured outcome here, not a failure worth a stack trace.
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher", LogLevel.None);
        builder.AddRealtimeHead();
        var app = builder.Build();
        app.MapRealtimeHead();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessServer(app, avatars, signingKey) { BaseAddress = new Uri(address) };
    }

    /// <summary>A token the server accepts in JWT mode; null in Development mode (every caller is accepted).</summary>
    public string? CreateToken(string subject)
    {
        if (_signingKey is null)
        {
            return null;
        }

        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            NotBefore = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(_signingKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_avatarDirectory, recursive: true);
    }
}
