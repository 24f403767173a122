using System.Net;
using System.Net.Sockets;
using RealtimeHead.Server.Hosting;

namespace RealtimeHead.Server.Tests.Hosting;

/// <summary>The container's <c>--healthcheck</c> probe: which URL it asks, and its exit code against real servers.</summary>
public sealed class HealthProbeTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Theory]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:8080/healthz")]
    [InlineData("http://[::]:8080", "http://[::1]:8080/healthz")]
    [InlineData("http://*:9000", "http://127.0.0.1:9000/healthz")]
    [InlineData("http://+:9001", "http://127.0.0.1:9001/healthz")]
    [InlineData("https://0.0.0.0:8443", "https://127.0.0.1:8443/healthz")]
    [InlineData("http://localhost:5000/", "http://localhost:5000/healthz")]
    [InlineData("http://10.0.0.5:80", "http://10.0.0.5/healthz")]
    public void ProbeUri_OneUrl_IsItsHealthzOnLoopback(string url, string expected)
    {
        Assert.Equal(new Uri(expected), HealthProbe.ProbeUri([url]));
    }

    [Fact]
    public void ProbeUri_HttpsAndHttp_PrefersHttp()
    {
        Assert.Equal(new Uri("http://127.0.0.1:8080/healthz"), HealthProbe.ProbeUri(["https://0.0.0.0:8443", "http://0.0.0.0:8080"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ftp://0.0.0.0:21")]
    [InlineData("not a url")]
    public void ProbeUri_NothingUsable_IsNull(string url)
    {
        Assert.Null(HealthProbe.ProbeUri([url]));
    }

    [Fact]
    public async Task ProbeAsync_HttpsServerWithSelfSignedCertificate_ExitsZero()
    {
        using var certificate = TestCertificates.CreateServerCertificate();
        var path = _certificates.WritePfx(certificate, "server.pfx");
        await using var server = await KestrelServer.StartAsync(s => HttpsHostingTests.UseHttps(s, path, TestCertificates.Password));
        using var output = new StringWriter();

        var exitCode = await HealthProbe.ProbeAsync(HealthProbe.ProbeUri([server.Addresses[0].ToString()])!, TimeSpan.FromSeconds(20), output);

        Assert.Equal(0, exitCode);
        Assert.StartsWith("healthy: https://127.0.0.1:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_ExitsOne()
    {
        using var output = new StringWriter();

        var exitCode = await HealthProbe.ProbeAsync(new Uri($"http://127.0.0.1:{FreeTcpPort()}/healthz"), TimeSpan.FromSeconds(5), output);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("unhealthy: http://127.0.0.1:", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_Not200_ExitsOne()
    {
        await using var server = await KestrelServer.StartAsync(s => s["RealtimeHead:Http:Urls:0"] = "http://127.0.0.1:0");
        using var output = new StringWriter();

        var exitCode = await HealthProbe.ProbeAsync(new Uri(server.Addresses[0], "/no-such-page"), TimeSpan.FromSeconds(20), output);

        Assert.Equal(1, exitCode);
        Assert.Contains("answered 404", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_UrlFromCommandLine_ProbesThatServer()
    {
        await using var server = await KestrelServer.StartAsync(s => s["RealtimeHead:Http:Urls:0"] = "http://127.0.0.1:0");
        var port = server.Addresses[0].Port;
        using var output = new StringWriter();

        // The same configuration sources as the server: a command-line key overrides appsettings.json's URL.
        var exitCode = await HealthProbe.RunAsync([HealthProbe.Switch, $"--RealtimeHead:Http:Urls:0=http://0.0.0.0:{port}"], output);

        Assert.Equal(0, exitCode);
        Assert.Equal($"healthy: http://127.0.0.1:{port}/healthz answered 200", output.ToString().Trim());
    }

    [Fact]
    public void IsRequested_OnlyTheExactSwitch()
    {
        Assert.True(HealthProbe.IsRequested(["--urls", "x", "--healthcheck"]));
        Assert.False(HealthProbe.IsRequested(["--healthcheck=1"]));
        Assert.False(HealthProbe.IsRequested([]));
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
