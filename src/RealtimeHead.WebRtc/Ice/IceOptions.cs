using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>
/// ICE-lite transport settings.
/// </summary>
/// <remarks>
/// <para>
/// Design decision: all sessions SHARE one UDP port. The listener binds the first free port in
/// [<see cref="PortRangeStart"/>, <see cref="PortRangeEnd"/>] on each of <see cref="HostAddresses"/> and
/// advertises it in every answer. Inbound datagrams are routed to sessions by
/// <see cref="IceUfragDemultiplexer{TSession}"/>: a STUN Binding request by the local ufrag in its USERNAME
/// (<c>ourUfrag:theirUfrag</c>, RFC 8445 §7.2.2), everything else (DTLS, SRTP, SRTCP, RFC 7983) by the remote
/// endpoint that a session has authenticated with a valid check. Why: a port per session needs a firewall
/// range per concurrent call and costs a socket and receive loop per session, while an ICE-lite server
/// behind one public port is what SFUs (Pion, LiveKit, mediasoup's WebRtcServer) deploy; ufrags are
/// random and unique per session so routing is unambiguous. The range exists so that deployments can pin
/// the port inside an opened firewall window and still start when one port is taken.
/// </para>
/// </remarks>
public sealed record IceOptions
{
    /// <summary>Lowest UDP port the shared listener may bind. Default 50000; 1024–65535.</summary>
    public int PortRangeStart { get; init; } = 50000;

    /// <summary>Highest UDP port the shared listener may bind. Default 50009; ≥ <see cref="PortRangeStart"/>, ≤ 65535.</summary>
    public int PortRangeEnd { get; init; } = 50009;

    /// <summary>
    /// How long consent lasts without a valid connectivity check (RFC 7675 §5.1). Default 30 s, the RFC's
    /// value and what Chromium assumes; 1 s – 10 min.
    /// </summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Addresses to publish host candidates for (IPv4 and/or IPv6, no wildcards). Default: loopback
    /// 127.0.0.1, which only works for local tests; production sets the public address(es).
    /// </summary>
    public IReadOnlyList<IPAddress> HostAddresses { get; init; } = [IPAddress.Loopback];

    /// <summary>
    /// Local addresses the shared UDP port is bound on, when they differ from <see cref="HostAddresses"/>: behind a 1:1
    /// NAT or in a container with published ports the public address is not a local one, so bind the wildcard (0.0.0.0)
    /// and publish the public address (Pion's NAT1To1IPs). Null or empty (default) = bind the host addresses themselves.
    /// </summary>
    public IReadOnlyList<IPAddress>? BindAddresses { get; init; }

    /// <summary>The addresses actually bound: <see cref="BindAddresses"/> when given, else <see cref="HostAddresses"/>.</summary>
    public IReadOnlyList<IPAddress> EffectiveBindAddresses => BindAddresses is { Count: > 0 } bind ? bind : HostAddresses;

    /// <summary>Every problem with these options, each saying what to change; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (PortRangeStart is < 1024 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Ice:PortRangeStart is {PortRangeStart}; set it to 1024-65535."));
        }

        if (PortRangeEnd is < 1024 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Ice:PortRangeEnd is {PortRangeEnd}; set it to 1024-65535."));
        }

        if (PortRangeEnd < PortRangeStart)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Ice:PortRangeEnd ({PortRangeEnd}) is below Ice:PortRangeStart ({PortRangeStart}); swap or widen them."));
        }

        if (ConsentTimeout < TimeSpan.FromSeconds(1) || ConsentTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Ice:ConsentTimeout is {ConsentTimeout}; set it to 00:00:01-00:10:00 (RFC 7675 uses 30 s)."));
        }

        if (HostAddresses is null || HostAddresses.Count == 0)
        {
            errors.Add("Ice:HostAddresses is empty; list at least one IPv4 or IPv6 address to publish as a host candidate.");
        }
        else
        {
            foreach (var address in HostAddresses)
            {
                if (address is null
                    || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)
                    || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
                {
                    errors.Add($"Ice:HostAddresses contains '{address}'; use concrete IPv4/IPv6 addresses, not wildcards.");
                }
            }
        }

        return errors;
    }

    /// <summary>Throws one exception listing every problem, so bad configuration fails at start.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid ICE options:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }
    }
}
