using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeHead.Server.Hosting;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Observability;

/// <summary>/readyz: the model is loaded (startup finished, default portrait encoded), the render device runs, the UDP port is bound.</summary>
internal sealed class ReadinessHealthCheck(RealtimeHeadStartup startup, RenderDevice device, WebRtcEndpointHost endpoint) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (!startup.IsStarted)
        {
            problems.Add("model not loaded (startup has not finished)");
        }

        if (!device.IsRunning)
        {
            problems.Add($"render device {device.Name} not running");
        }

        if (!endpoint.IsBound)
        {
            problems.Add("WebRTC UDP port not bound");
        }

        var data = new Dictionary<string, object>
        {
            ["device"] = device.Name,
            ["frameSize"] = device.Renderer.FrameSize,
            ["sessions"] = device.Scheduler.SessionCount,
        };
        if (endpoint.IsBound)
        {
            data["udpPort"] = endpoint.Endpoint.Port;
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("model loaded, device ready, UDP bound", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data));
    }
}
