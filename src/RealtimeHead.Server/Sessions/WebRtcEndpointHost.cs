using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Configuration;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Peer;

namespace RealtimeHead.Server.Sessions;

/// <summary>
/// Owns the process's one <see cref="WebRtcEndpoint"/> (the shared UDP media port). Bound at start by the startup
/// service so that a taken port range fails the start, not the first call; readiness reports <see cref="IsBound"/>.
/// </summary>
internal sealed class WebRtcEndpointHost : IAsyncDisposable
{
    private readonly WebRtcEndpointOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private WebRtcEndpoint? _endpoint;
    private int _disposed;

    public WebRtcEndpointHost(IOptions<RealtimeHeadOptions> options, TimeProvider time, ILoggerFactory loggers)
    {
        _options = ToEndpointOptions(options.Value);
        _time = time;
        _loggers = loggers;
    }

    /// <summary>The endpoint; throws before <see cref="Start"/>.</summary>
    public WebRtcEndpoint Endpoint => Volatile.Read(ref _endpoint) ?? throw new InvalidOperationException("The WebRTC endpoint has not been started.");

    /// <summary>Whether the UDP port is bound.</summary>
    public bool IsBound => Volatile.Read(ref _endpoint) is not null && Volatile.Read(ref _disposed) == 0;

    public void Start()
    {
        if (Volatile.Read(ref _endpoint) is null)
        {
            Volatile.Write(ref _endpoint, WebRtcEndpoint.Start(_options, _time, _loggers));
        }
    }

    /// <summary>The endpoint settings the server's options imply.</summary>
    internal static WebRtcEndpointOptions ToEndpointOptions(RealtimeHeadOptions options) => new()
    {
        Ice = new IceOptions
        {
            PortRangeStart = options.WebRtc.UdpPortRangeStart,
            PortRangeEnd = options.WebRtc.UdpPortRangeEnd,
            ConsentTimeout = options.WebRtc.ConsentTimeout,
            HostAddresses = [.. options.WebRtc.EffectivePublicAddresses.Select(IPAddress.Parse)],
            BindAddresses = [.. (options.WebRtc.BindAddresses ?? []).Select(IPAddress.Parse)],
        },
        HandshakeTimeout = options.WebRtc.HandshakeTimeout,
        MaxSessions = options.Limits.MaxSessions,
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && Volatile.Read(ref _endpoint) is { } endpoint)
        {
            await endpoint.DisposeAsync().ConfigureAwait(false);
        }
    }
}
