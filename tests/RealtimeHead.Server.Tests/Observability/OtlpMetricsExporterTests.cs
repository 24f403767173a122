using System.Net;
using System.Net.Sockets;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Observability;

public sealed class OtlpMetricsExporterTests
{
    [Fact]
    public async Task Start_WithHttpEndpoint_PostsProtobufMetricsToTheCollector()
    {
        var port = FreeTcpPort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/v1/metrics/");
        collector.Start();
        var received = collector.GetContextAsync();

        await using (var server = await ServerFixture.StartAsync(s =>
        {
            s["RealtimeHead:Observability:OtlpEndpoint"] = $"http://127.0.0.1:{port}/v1/metrics";
            s["RealtimeHead:Observability:OtlpExportInterval"] = "00:00:01";
        }))
        {
            await using var client = await server.ConnectAsync();
            await client.InvokeAsync("Join", "default");

            var context = await received.WaitAsync(TimeSpan.FromSeconds(20));
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            context.Response.StatusCode = 200;
            context.Response.Close();

            // Later exports find no collector (refused at once) instead of waiting for the exporter's timeout.
            collector.Stop();

            Assert.Equal("POST", context.Request.HttpMethod);
            Assert.Equal("/v1/metrics", context.Request.Url!.AbsolutePath);
            Assert.Equal("application/x-protobuf", context.Request.ContentType);
            Assert.True(body.Length > 0);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
