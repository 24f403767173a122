using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Observability;

/// <summary>
/// Pushes the pipeline's and the server's meters to an OTLP collector (Observability:OtlpEndpoint) with the
/// OpenTelemetry SDK; a :4318 endpoint or one ending in /v1/metrics uses HTTP/protobuf, others gRPC. Off when no
/// endpoint is configured (the /metrics page works either way).
/// </summary>
internal sealed partial class OtlpMetricsExporter(IOptions<RealtimeHeadOptions> options, ILogger<OtlpMetricsExporter> logger) : IHostedService, IDisposable
{
    private MeterProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Observability;
        if (string.IsNullOrWhiteSpace(settings.OtlpEndpoint))
        {
            return Task.CompletedTask;
        }

        var endpoint = new Uri(settings.OtlpEndpoint);
        var http = endpoint.Port == 4318 || endpoint.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal);
        if (http && !endpoint.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal))
        {
            // An endpoint set in code is used as given: HTTP/protobuf needs the signal's path (OTLP/HTTP spec).
            endpoint = new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/metrics");
        }

        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(PipelineMetrics.MeterName, ServerMetrics.MeterName)
            .AddOtlpExporter((exporter, reader) =>
            {
                exporter.Endpoint = endpoint;
                exporter.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)settings.OtlpExportInterval.TotalMilliseconds;
            })
            .Build();
        Log.Exporting(logger, endpoint, http ? "http/protobuf" : "grpc");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _provider?.ForceFlush(2000);
        return Task.CompletedTask;
    }

    public void Dispose() => _provider?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Exporting metrics over OTLP to {Endpoint} ({Protocol})")]
        public static partial void Exporting(ILogger logger, Uri endpoint, string protocol);
    }
}
