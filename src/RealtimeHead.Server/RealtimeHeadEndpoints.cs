using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Observability;
using RealtimeHead.Server.Security;
using RealtimeHead.Server.Signalling;
using RealtimeHead.Server.Web;

namespace RealtimeHead.Server;

/// <summary>The server's HTTP surface: the hub, the avatar API, health and metrics.</summary>
public static class RealtimeHeadEndpoints
{
    /// <summary>Path of the signalling hub.</summary>
    public const string HubPath = "/hubs/session";

    internal const string ReadyTag = "ready";

    /// <summary>Maps /hubs/session, /api/avatars, /api/sessions (bots), /healthz, /readyz, /metrics and the web client's pages.</summary>
    public static IEndpointRouteBuilder MapRealtimeHead(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        // Listen from now on, so measurements made during start are counted.
        var collector = endpoints.ServiceProvider.GetRequiredService<PrometheusMetricsCollector>();

        endpoints.MapHub<SessionHub>(HubPath);
        endpoints.MapAvatarApi().RequireAuthorization(AuthSetup.PolicyName);
        endpoints.MapBotApi().RequireAuthorization(AuthSetup.PolicyName);

        // Liveness: the process answers. Readiness: model loaded, device ready, UDP bound.
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteHealthAsync });
        endpoints.MapGet("/metrics", () => Results.Text(collector.Render(), PrometheusMetricsCollector.ContentType));

        // The browser client (web/dist): /, /kiosk and its files, without auth; absent = a warning, no pages.
        endpoints.MapWebClient();
        return endpoints;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
