using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Hosting;

/// <summary>
/// The live server on real Kestrel sockets (not the in-memory test host), so TLS is the real thing: URLs on port 0
/// (Kestrel picks a free port), the <see cref="TestRenderer"/>, the base settings of <see cref="ServerFixture"/>.
/// </summary>
internal sealed class KestrelServer : IAsyncDisposable
{
    private KestrelServer(WebApplication app, string avatarDirectory)
    {
        App = app;
        _avatarDirectory = avatarDirectory;
    }

    private readonly string _avatarDirectory;

    public WebApplication App { get; }

    /// <summary>The addresses Kestrel bound (the real ports).</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a))];

    /// <summary>Builds the host from the base settings with <paramref name="configure"/>'s changes (not started).</summary>
    private static (WebApplication App, string AvatarDirectory) Build(Action<Dictionary<string, string?>> configure)
    {
        var directory = Path.Combine(Path.GetTempPath(), "rh-server-tests", Guid.NewGuid().ToString("N"));
        var settings = ServerFixture.BaseSettings(directory);
        configure(settings);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<RealtimeHead.Rendering.ITalkingHeadRenderer>(new TestRenderer());
        builder.AddRealtimeHead();
        var app = builder.Build();
        app.MapRealtimeHead();
        return (app, directory);
    }

    public static async Task<KestrelServer> StartAsync(Action<Dictionary<string, string?>> configure)
    {
        var (app, directory) = (default(WebApplication), string.Empty);
        try
        {
            (app, directory) = Build(configure);
            await app.StartAsync();
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            DeleteDirectory(directory);
            throw;
        }

        return new KestrelServer(app, directory);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        DeleteDirectory(_avatarDirectory);
    }

    private static void DeleteDirectory(string directory)
    {
        try
        {
            if (directory.Length > 0 && Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
