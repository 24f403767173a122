using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Security;

/// <summary>
/// JWT bearer authentication (RFC 6750) with an HMAC-SHA256 key (Auth:SigningKey), validated by
/// Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>: signature, algorithm, lifetime (exp required),
/// issuer and audience when configured. The token comes from <c>Authorization: Bearer</c>, or, on the hubs only, from
/// the <c>access_token</c> query parameter, because browsers cannot set headers on WebSocket and SSE requests
/// (what SignalR's clients do). Why not Microsoft.AspNetCore.Authentication.JwtBearer: every version in this
/// project's package source needs Microsoft.IdentityModel.Protocols.OpenIdConnect ≥ 8.19.2, which is not there.
/// </summary>
internal sealed class JwtBearerHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string SchemeName = "Bearer";

    private readonly JsonWebTokenHandler _tokens = new() { MapInboundClaims = false };
    private readonly IOptions<RealtimeHeadOptions> _settings;
    private readonly TimeProvider _time;
    private TokenValidationParameters? _parameters;

    public JwtBearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        IOptions<RealtimeHeadOptions> settings, TimeProvider time)
        : base(options, logger, encoder)
    {
        _settings = settings;
        _time = time;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null)
        {
            return AuthenticateResult.NoResult();
        }

        var result = await _tokens.ValidateTokenAsync(token, _parameters ??= CreateParameters(_settings.Value.Auth)).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return AuthenticateResult.Fail(result.Exception?.Message ?? "invalid token");
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(result.ClaimsIdentity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private string? ReadToken()
    {
        string? authorization = Request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var value = authorization["Bearer ".Length..].Trim();
            return value.Length > 0 ? value : null;
        }

        // Browsers cannot set headers on WebSocket requests: the hubs and the bots' push socket take the query token.
        if ((Request.Path.StartsWithSegments(AuthSetup.HubsPath) || IsWebSocketUpgrade())
            && Request.Query["access_token"] is { Count: > 0 } query)
        {
            var value = query.ToString();
            return value.Length > 0 ? value : null;
        }

        return null;
    }

    /// <summary>An HTTP/1.1 WebSocket upgrade (RFC 6455 §4.1) or an HTTP/2 extended CONNECT for one (RFC 8441 §4).</summary>
    private bool IsWebSocketUpgrade() =>
        string.Equals(Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
        || Context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: "websocket" };

    private TokenValidationParameters CreateParameters(AuthOptions auth) => new()
    {
        // Development mode never reaches this handler; a missing key still gets a random one so nothing validates.
        IssuerSigningKey = new SymmetricSecurityKey(string.IsNullOrEmpty(auth.SigningKey)
            ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)
            : Encoding.UTF8.GetBytes(auth.SigningKey)),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuerSigningKey = true,
        ValidateIssuer = !string.IsNullOrEmpty(auth.Issuer),
        ValidIssuer = auth.Issuer,
        ValidateAudience = !string.IsNullOrEmpty(auth.Audience),
        ValidAudience = auth.Audience,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.FromSeconds(30),
        LifetimeValidator = (notBefore, expires, _, parameters) =>
        {
            var now = _time.GetUtcNow().UtcDateTime;
            return (notBefore is null || notBefore.Value <= now + parameters.ClockSkew)
                && expires is not null && expires.Value >= now - parameters.ClockSkew;
        },
    };
}
