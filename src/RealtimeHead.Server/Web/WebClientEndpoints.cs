using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Web;

/// <summary>
/// The browser client's pages: <c>/</c> → index.html (the call page), <c>/kiosk</c> → kiosk.html, and every other
/// file of the built client (<c>/js/*.js</c>, <c>/css/*.css</c> ...). No authentication: the pages hold no secrets,
/// and the hub and the APIs they call still require it.
/// </summary>
public static partial class WebClientEndpoints
{
    /// <summary>Maps the pages when the built client is found; otherwise logs a warning and maps nothing.</summary>
    public static IEndpointRouteBuilder MapWebClient(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        var options = services.GetRequiredService<IOptions<RealtimeHeadOptions>>().Value.Web;
        var environment = services.GetRequiredService<IHostEnvironment>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebClientEndpoints).FullName!);

        var root = WebClientRoot.Resolve(options?.Root, environment.ContentRootPath, AppContext.BaseDirectory, out var searched);
        if (root is null)
        {
            Log.NoWebClient(logger, string.Join(", ", searched));
            return endpoints;
        }

        var files = new WebClientFiles(root);
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(files.Dispose);
        Log.Serving(logger, root);

        endpoints.MapGet("/", (HttpContext context) => files.Serve(context, "index.html")).ExcludeFromDescription();
        endpoints.MapGet("/kiosk", (HttpContext context) => files.Serve(context, "kiosk.html")).ExcludeFromDescription();

        // Last in precedence (like MapFallback): any literal route (/api, /hubs, /metrics ...) wins over it.
        endpoints.MapGet("/{**path}", (HttpContext context, string? path) => files.Serve(context, path))
            .WithOrder(int.MaxValue)
            .ExcludeFromDescription();
        return endpoints;
    }
}
