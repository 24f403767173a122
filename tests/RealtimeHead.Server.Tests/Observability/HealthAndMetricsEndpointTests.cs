using RealtimeHead.Testing.Sdp;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Observability;

public sealed class HealthAndMetricsEndpointTests
{
    [Fact]
    public async Task Healthz_RunningServer_Is200WithoutAuth()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.Server.CreateClient();

        using var response = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_Started_ReportsModelDeviceAndUdpPort()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.Server.CreateClient();

        using var response = await http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var check = body.GetProperty("checks")[0];
        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Equal("cpu", check.GetProperty("data").GetProperty("device").GetString());
        Assert.Equal(32, check.GetProperty("data").GetProperty("frameSize").GetInt32());
        Assert.Equal(server.Get<RealtimeHead.Server.Sessions.WebRtcEndpointHost>().Endpoint.Port, check.GetProperty("data").GetProperty("udpPort").GetInt32());
    }

    [Fact]
    public async Task Readyz_AfterStop_Is503()
    {
        var server = await ServerFixture.StartAsync();
        using var http = server.Server.CreateClient();
        await server.Get<RealtimeHead.Server.Hosting.RealtimeHeadStartup>().StopAsync(CancellationToken.None);

        using var response = await http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var description = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks")[0].GetProperty("description").GetString();
        Assert.Contains("model not loaded", description, StringComparison.Ordinal);
        Assert.Contains("UDP port not bound", description, StringComparison.Ordinal);
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Metrics_AfterSessions_RendersServerAndPipelineInstrumentsAsValidText()
    {
        await using var server = await ServerFixture.StartAsync();
        await using (var client = await server.ConnectAsync())
        {
            await client.InvokeAsync("Join", "default");
            await client.InvokeAsync("Join", "default"); // again on the same connection: refused, bad_message
            await client.InvokeAsync("Offer", ChromiumOffer.Text);
            await client.InvokeAsync("Leave");
        }

        using var http = server.Server.CreateClient();
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("realtimehead_server_sessions_joined_total 1\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_server_sessions_refused_total{reason=\"bad_message\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_server_sessions_closed_total{reason=\"left\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_server_offer_duration_milliseconds_count 1\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_server_sessions_active 0\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE realtimehead_server_session_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_pipeline_degradation_level", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_webrtc_sessions 0\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_webrtc_datagrams_total{direction=\"in\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_webrtc_errors_total{kind=\"offer_rejected\"} 0\n", text, StringComparison.Ordinal);
        PrometheusMetricsCollectorTests.AssertValidExposition(text);
    }
}
