using RealtimeHead.Testing.SignalR;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RealtimeHead.Rendering;

namespace RealtimeHead.Server.Tests.TestSupport;

/// <summary>
/// The live server on ASP.NET Core's test host: in-memory configuration (JWT auth with <see cref="SigningKey"/>, a
/// temporary avatar directory, a wide loopback UDP range so parallel tests each find a port, no VAD model), the
/// <see cref="TestRenderer"/> registered before <c>AddRealtimeHead()</c> (whose TryAdd keeps it).
/// </summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    public const string SigningKey = "test-signing-key-of-at-least-32-bytes-0123456789";

    private ServerFixture(WebApplication app, string avatarDirectory, TestRenderer? renderer)
    {
        App = app;
        AvatarDirectory = avatarDirectory;
        _renderer = renderer;
    }

    private readonly TestRenderer? _renderer;

    public WebApplication App { get; }

    public TestServer Server => App.GetTestServer();

    public IServiceProvider Services => App.Services;

    public string AvatarDirectory { get; }

    /// <summary>The test renderer (null when the host runs the configured one).</summary>
    public TestRenderer Renderer => _renderer ?? throw new InvalidOperationException("This host runs the configured renderer.");

    /// <summary>Settings every test host starts from; tests override keys.</summary>
    public static Dictionary<string, string?> BaseSettings(string avatarDirectory) => new()
    {
        ["RealtimeHead:Auth:Mode"] = "Jwt",
        ["RealtimeHead:Auth:SigningKey"] = SigningKey,
        ["RealtimeHead:Avatars:Directory"] = avatarDirectory,
        ["RealtimeHead:WebRtc:UdpPortRangeStart"] = "51000",
        ["RealtimeHead:WebRtc:UdpPortRangeEnd"] = "51999",
        ["RealtimeHead:WebRtc:PublicAddresses:0"] = "127.0.0.1",
        ["RealtimeHead:WebRtc:IceServers:0:Urls:0"] = "stun:stun.example.org:3478",
        ["RealtimeHead:WebRtc:IceServers:1:Urls:0"] = "turn:turn.example.org:3478?transport=udp",
        ["RealtimeHead:WebRtc:IceServers:1:Username"] = "user",
        ["RealtimeHead:WebRtc:IceServers:1:Credential"] = "secret",
        ["RealtimeHead:Model:VadModelPath"] = string.Empty,
        ["RealtimeHead:Limits:MaxSessions"] = "4",

        // Stats messages at the slowest allowed rate, so tests that read the next server message see SessionEnded;
        // the Stats tests set their own interval.
        ["RealtimeHead:Web:StatsInterval"] = "00:01:00",
    };

    public static Task<ServerFixture> StartAsync(Action<Dictionary<string, string?>>? configure = null, TestRenderer? renderer = null,
        Action<IServiceCollection>? configureServices = null) =>
        StartAsync(configure, renderer ?? new TestRenderer(), useTestRenderer: true, configureServices);

    /// <summary>A host whose renderer is the one Model:Renderer configures (the composition root's own factory).</summary>
    public static Task<ServerFixture> StartWithConfiguredRendererAsync(Action<Dictionary<string, string?>> configure) =>
        StartAsync(configure, null, useTestRenderer: false, configureServices: null);

    private static async Task<ServerFixture> StartAsync(Action<Dictionary<string, string?>>? configure, TestRenderer? renderer, bool useTestRenderer,
        Action<IServiceCollection>? configureServices)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rh-server-tests", Guid.NewGuid().ToString("N"));
        var settings = BaseSettings(directory);
        configure?.Invoke(settings);
        var app = Build(settings, useTestRenderer ? renderer : null, configureServices);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new ServerFixture(app, directory, renderer);
    }

    /// <summary>The host, built and not started (for start-failure tests).</summary>
    public static WebApplication Build(Dictionary<string, string?> settings, ITalkingHeadRenderer? renderer, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        if (renderer is not null)
        {
            builder.Services.AddSingleton(renderer);
        }

        configureServices?.Invoke(builder.Services);
        builder.AddRealtimeHead();
        var app = builder.Build();
        app.MapRealtimeHead();
        return app;
    }

    /// <summary>A token signed with <paramref name="key"/> (default: the server's), valid from now for <paramref name="lifetime"/>.</summary>
    public static string CreateToken(string? key = null, TimeSpan? lifetime = null, string subject = "tester", string? issuer = null, string? audience = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject)]),
            NotBefore = expires < now ? expires - TimeSpan.FromMinutes(1) : now,
            IssuedAt = expires < now ? expires - TimeSpan.FromMinutes(1) : now,
            Expires = expires,
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key ?? SigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>An HTTP client that sends a valid bearer token.</summary>
    public HttpClient CreateAuthorizedClient()
    {
        var client = Server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", CreateToken());
        return client;
    }

    /// <summary>A hub client over the test host's WebSocket, with a valid token by default (null: none).</summary>
    public async Task<HubTestClient> ConnectAsync(string? token = "default")
    {
        token = token == "default" ? CreateToken() : token;
        var query = token is null ? string.Empty : "?access_token=" + Uri.EscapeDataString(token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var socket = await Server.CreateWebSocketClient().ConnectAsync(new Uri($"ws://localhost{RealtimeHeadEndpoints.HubPath}{query}"), timeout.Token);
        return await HubTestClient.ConnectAsync(socket);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(AvatarDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
