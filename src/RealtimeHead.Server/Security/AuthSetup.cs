using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Security;

/// <summary>
/// Authentication of the hub and the APIs. One policy scheme forwards to <see cref="JwtBearerHandler"/> (HMAC-SHA256
/// with Auth:SigningKey) or, when Auth:Mode = Development, to <see cref="DevelopmentAuthenticationHandler"/>, which
/// accepts everyone.
/// </summary>
internal static class AuthSetup
{
    /// <summary>The authorization policy of the hub and the APIs.</summary>
    public const string PolicyName = "RealtimeHead";

    /// <summary>The forwarding scheme every request is authenticated with.</summary>
    public const string SchemeName = "RealtimeHead";

    /// <summary>Path prefix of the hubs (the only place a query-string token is read).</summary>
    public const string HubsPath = "/hubs";

    public static IServiceCollection AddRealtimeHeadAuth(this IServiceCollection services)
    {
        services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "JWT bearer or development", options =>
            {
                options.ForwardDefaultSelector = context =>
                    context.RequestServices.GetRequiredService<IOptions<RealtimeHeadOptions>>().Value.Auth.Mode == AuthMode.Development
                        ? DevelopmentAuthenticationHandler.SchemeName
                        : JwtBearerHandler.SchemeName;
            })
            .AddScheme<AuthenticationSchemeOptions, JwtBearerHandler>(JwtBearerHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthenticationHandler>(DevelopmentAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy.AddAuthenticationSchemes(SchemeName).RequireAuthenticatedUser());
        return services;
    }
}
