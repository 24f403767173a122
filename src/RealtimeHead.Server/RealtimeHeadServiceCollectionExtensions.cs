using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Rendering;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Hosting;
using RealtimeHead.Server.Observability;
using RealtimeHead.Server.Security;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Signalling;

namespace RealtimeHead.Server;

/// <summary>
/// The composition root: the one place that wires transport, pipeline, renderer and avatars. Built from small
/// <c>TryAdd</c> registrations so tests (and other hosts) replace a part, e.g. the renderer, by registering it first.
/// </summary>
public static class RealtimeHeadServiceCollectionExtensions
{
    /// <summary>Adds the live server to <paramref name="builder"/>: services, options, and Kestrel's URLs from RealtimeHead:Http.</summary>
    public static WebApplicationBuilder AddRealtimeHead(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRealtimeHead(builder.Configuration);
        var http = builder.Configuration.GetSection(RealtimeHeadOptions.SectionName).GetSection("Http").Get<HttpOptions>() ?? new HttpOptions();
        builder.WebHost.UseUrls([.. http.EffectiveUrls]);

        if (!string.IsNullOrWhiteSpace(http.CertificatePath))
        {
            // The options validator has already reported a bad file by the time Kestrel binds; this load cannot fail differently.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
                https.ServerCertificate = ServerCertificateFile.TryLoad(http.CertificatePath, http.CertificatePassword, out var error)
                    ?? throw new InvalidOperationException(error)));
        }

        return builder;
    }

    /// <summary>Registers every service of the live server; options come from the RealtimeHead section and are validated at start.</summary>
    public static IServiceCollection AddRealtimeHead(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddRealtimeHeadOptions(configuration);
        services.AddRealtimeHeadRendering();
        services.AddRealtimeHeadSessions();
        services.AddRealtimeHeadSignalling();
        services.AddRealtimeHeadAuth();
        services.AddRealtimeHeadObservability();
        services.AddRealtimeHeadBots();
        return services;
    }

    internal static IServiceCollection AddRealtimeHeadBots(this IServiceCollection services)
    {
        services.TryAddSingleton<BotMetrics>();
        services.TryAddSingleton<ISpeechSynthesizer, EspeakSpeechSynthesizer>();
        services.TryAddSingleton<SpeechService>();
        return services;
    }

    internal static IServiceCollection AddRealtimeHeadOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RealtimeHeadOptions>()
            .Bind(configuration.GetSection(RealtimeHeadOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RealtimeHeadOptions>, RealtimeHeadOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    internal static IServiceCollection AddRealtimeHeadRendering(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new PipelineMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<ITalkingHeadRenderer>(sp => RendererFactory.Create(sp.GetRequiredService<IOptions<RealtimeHeadOptions>>().Value.Model));
        services.TryAddSingleton<RenderDevice>();
        services.TryAddSingleton<AvatarStore>();
        services.TryAddSingleton<PortraitCache>();
        services.TryAddSingleton<SpeechComponents>();
        return services;
    }

    internal static IServiceCollection AddRealtimeHeadSessions(this IServiceCollection services)
    {
        services.TryAddSingleton<WebRtcEndpointHost>();
        services.TryAddSingleton<SessionManager>();
        services.TryAddSingleton<RealtimeHeadStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<RealtimeHeadStartup>());
        return services;
    }

    internal static IServiceCollection AddRealtimeHeadSignalling(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddOptions<HubOptions>().Configure<IOptions<RealtimeHeadOptions>>((hub, options) =>
        {
            hub.MaximumReceiveMessageSize = options.Value.Limits.MaxHubMessageBytes;
            hub.EnableDetailedErrors = false;
        });
        services.TryAddSingleton<ISessionNotifier, HubSessionNotifier>();
        services.AddSessionStats();
        return services;
    }

    internal static IServiceCollection AddRealtimeHeadObservability(this IServiceCollection services)
    {
        services.TryAddSingleton<ServerMetrics>();
        services.TryAddSingleton<PrometheusMetricsCollector>();
        services.AddHealthChecks().AddCheck<ReadinessHealthCheck>("realtimehead", tags: [RealtimeHeadEndpoints.ReadyTag]);
        services.AddHostedService<OtlpMetricsExporter>();
        return services;
    }
}
