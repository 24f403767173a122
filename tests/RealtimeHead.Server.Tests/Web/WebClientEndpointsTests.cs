using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Web;

public sealed class WebClientEndpointsTests : IDisposable
{
    private const string IndexHtml = "<!doctype html><title>call</title>";
    private const string KioskHtml = "<!doctype html><title>kiosk</title>";
    private const string AppJs = "export const x = 1;\n";
    private readonly string _root = Directory.CreateTempSubdirectory("rh-web-root-").FullName;
    private readonly string _outside;

    public WebClientEndpointsTests()
    {
        File.WriteAllText(Path.Combine(_root, "index.html"), IndexHtml);
        File.WriteAllText(Path.Combine(_root, "kiosk.html"), KioskHtml);
        Directory.CreateDirectory(Path.Combine(_root, "js"));
        File.WriteAllText(Path.Combine(_root, "js", "app.js"), AppJs);
        File.WriteAllText(Path.Combine(_root, ".env"), "secret");
        File.WriteAllText(Path.Combine(_root, "notes.unknownext"), "no content type");
        _outside = Path.Combine(Path.GetDirectoryName(_root)!, Path.GetFileName(_root) + "-outside.html");
        File.WriteAllText(_outside, "outside the root");
    }

    [Fact]
    public async Task Root_WithoutToken_ServesIndexHtml()
    {
        await using var server = await StartAsync();
        using var client = server.Server.CreateClient();

        using var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(IndexHtml, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Kiosk_WithoutToken_ServesKioskHtml()
    {
        await using var server = await StartAsync();
        using var client = server.Server.CreateClient();

        Assert.Equal(KioskHtml, await client.GetStringAsync("/kiosk"));
        Assert.Equal(KioskHtml, await client.GetStringAsync("/kiosk.html"));
    }

    [Fact]
    public async Task Module_ServedAsJavaScript_WhileApiStillNeedsAuth()
    {
        await using var server = await StartAsync();
        using var client = server.Server.CreateClient();

        using var module = await client.GetAsync("/js/app.js");
        using var api = await client.GetAsync("/api/avatars");
        using var metrics = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, module.StatusCode);
        Assert.Equal("text/javascript", module.Content.Headers.ContentType?.MediaType); // ES modules need a JavaScript MIME type
        Assert.Equal(AppJs, await module.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode); // literal routes win over the pages' catch-all
    }

    [Theory]
    [InlineData("/missing.js")]
    [InlineData("/js")]
    [InlineData("/js/")]
    [InlineData("/.env")]
    [InlineData("/notes.unknownext")]
    [InlineData("/js/%2e%2e/%2e%2e/etc/passwd")]
    [InlineData("/..%2f..%2fetc%2fpasswd")]
    [InlineData("/js/..%5c..%5cindex.html")]
    [InlineData("/api/nothing-here")]
    public async Task Get_NotAServableFile_Is404(string path)
    {
        await using var server = await StartAsync();
        using var client = server.Server.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, $"{path}: {response.StatusCode}");
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_FileBesideTheRoot_Is404()
    {
        await using var server = await StartAsync();
        using var client = server.Server.CreateClient();

        using var response = await client.GetAsync("/..%2f" + Path.GetFileName(_outside));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_WithMatchingETag_Is304()
    {
        await using var server = await StartAsync();
        using var client = server.Server.CreateClient();
        using var first = await client.GetAsync("/js/app.js");
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/js/app.js");
        request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(tag.Tag));
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Start_RootMissing_LogsWarningAndServesNoPagesButTheApi()
    {
        var sink = new CapturingLoggerProvider();
        var missing = Path.Combine(_root, "no-such-dist");
        await using var server = await ServerFixture.StartAsync(
            settings => settings["RealtimeHead:Web:Root"] = missing,
            configureServices: services => services.AddSingleton<ILoggerProvider>(sink));
        using var client = server.CreateAuthorizedClient();

        using var page = await client.GetAsync("/");
        using var api = await client.GetAsync("/api/avatars");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var warning = Assert.Single(sink.Entries, e => e.EventId == 6001);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(missing, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RootFound_LogsWhereItServesFrom()
    {
        var sink = new CapturingLoggerProvider();
        await using var server = await ServerFixture.StartAsync(
            settings => settings["RealtimeHead:Web:Root"] = _root,
            configureServices: services => services.AddSingleton<ILoggerProvider>(sink));

        var served = Assert.Single(sink.Entries, e => e.EventId == 6002);
        Assert.Contains(_root, served.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        File.Delete(_outside);
    }

    private Task<ServerFixture> StartAsync() => ServerFixture.StartAsync(settings => settings["RealtimeHead:Web:Root"] = _root);
}
