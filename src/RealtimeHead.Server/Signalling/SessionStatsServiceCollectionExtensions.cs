using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace RealtimeHead.Server.Signalling;

/// <summary>Registration of the per-session Stats messages (part of the signalling registrations).</summary>
internal static class SessionStatsServiceCollectionExtensions
{
    public static IServiceCollection AddSessionStats(this IServiceCollection services)
    {
        services.TryAddSingleton<SessionConnections>();
        services.TryAddSingleton<MouthToWireWindow>();
        services.AddHostedService<SessionStatsBroadcaster>();
        return services;
    }
}
