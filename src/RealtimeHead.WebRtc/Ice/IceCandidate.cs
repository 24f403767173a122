using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>Candidate types (RFC 8445 §5.1.1); the SDP token is in <see cref="IceCandidate.TypeToken"/>.</summary>
internal enum IceCandidateType
{
    Host,
    ServerReflexive,
    PeerReflexive,
    Relayed,
}

/// <summary>
/// One ICE candidate as carried in SDP <c>a=candidate</c> (RFC 8839 §5.1). The address stays text because
/// browsers publish host candidates as mDNS names (<c>*.local</c>).
/// </summary>
internal sealed record IceCandidate(
    string Foundation,
    int Component,
    string Transport,
    uint Priority,
    string Address,
    int Port,
    IceCandidateType Type,
    string? RelatedAddress = null,
    int? RelatedPort = null)
{
    /// <summary>RTP component; with rtcp-mux it is the only one (RFC 8445 §4.1.1.1).</summary>
    public const int RtpComponent = 1;

    // RFC 8445 §5.1.2.2 recommended type preferences.
    public const int HostTypePreference = 126;
    public const int PeerReflexiveTypePreference = 110;
    public const int ServerReflexiveTypePreference = 100;
    public const int RelayedTypePreference = 0;

    /// <summary>Extension attributes after the mandatory fields (e.g. <c>generation 0</c>), kept in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Extensions { get; init; } = [];

    public string TypeToken => TypeToToken(Type);

    /// <summary>RFC 8445 §5.1.2.1: 2^24·type preference + 2^8·local preference + (256 − component id).</summary>
    public static uint ComputePriority(int typePreference, int localPreference, int componentId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(typePreference);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(typePreference, 126);
        ArgumentOutOfRangeException.ThrowIfNegative(localPreference);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(localPreference, 65535);
        ArgumentOutOfRangeException.ThrowIfLessThan(componentId, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(componentId, 256);
        return (uint)((typePreference << 24) + (localPreference << 8) + (256 - componentId));
    }

    /// <summary>Tries to read the address as an IP literal (false for mDNS names).</summary>
    public bool TryGetIPEndPoint(out IPEndPoint? endPoint)
    {
        endPoint = IPAddress.TryParse(Address, out var ip) ? new IPEndPoint(ip, Port) : null;
        return endPoint is not null;
    }

    /// <summary>The attribute value, without the <c>a=</c>: <c>candidate:1 1 udp 2130706431 10.0.0.1 50000 typ host</c>.</summary>
    public string ToSdpValue()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"candidate:{Foundation} {Component} {Transport} {Priority} {Address} {Port} typ {TypeToken}");
        if (RelatedAddress is not null && RelatedPort is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" raddr {RelatedAddress} rport {RelatedPort}");
        }

        foreach (var (name, value) in Extensions)
        {
            text.Append(' ').Append(name).Append(' ').Append(value);
        }

        return text.ToString();
    }

    public override string ToString() => ToSdpValue();

    /// <summary>Parses a candidate attribute value, with or without the <c>a=</c> / <c>candidate:</c> prefix.</summary>
    public static bool TryParse(string? text, out IceCandidate? candidate)
    {
        candidate = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string value = text.Trim();
        if (value.StartsWith("a=", StringComparison.Ordinal))
        {
            value = value[2..];
        }

        if (value.StartsWith("candidate:", StringComparison.OrdinalIgnoreCase))
        {
            value = value["candidate:".Length..];
        }

        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 8
            || parts[0].Length is 0 or > 32
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int component) || component is < 1 or > 256
            || !uint.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint priority)
            || !int.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535
            || !parts[6].Equals("typ", StringComparison.OrdinalIgnoreCase)
            || !TryParseType(parts[7], out var type))
        {
            return false;
        }

        string? relatedAddress = null;
        int? relatedPort = null;
        var extensions = new List<KeyValuePair<string, string>>();
        for (int i = 8; i + 1 < parts.Length; i += 2)
        {
            if (parts[i] == "raddr")
            {
                relatedAddress = parts[i + 1];
            }
            else if (parts[i] == "rport" && int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int rport) && rport <= 65535)
            {
                relatedPort = rport;
            }
            else
            {
                extensions.Add(new(parts[i], parts[i + 1]));
            }
        }

        candidate = new IceCandidate(parts[0], component, parts[2].ToLowerInvariant(), priority, parts[4], port, type, relatedAddress, relatedPort)
        {
            Extensions = extensions,
        };
        return true;
    }

    /// <summary>
    /// Host candidates for the given addresses, all on the one shared UDP port (see <see cref="IceOptions"/>).
    /// Local preferences are distinct per address (RFC 8445 §5.1.2.2) and favour IPv6 over IPv4
    /// (RFC 8421 §4); the foundation is derived from type, base address and transport (RFC 8445 §5.1.1.3).
    /// </summary>
    public static IReadOnlyList<IceCandidate> CreateHostCandidates(IEnumerable<IPAddress> addresses, int port, int componentId = RtpComponent)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var unique = addresses
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a)
            .Distinct()
            .ToList();
        var ordered = unique.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6)
            .Concat(unique.Where(a => a.AddressFamily == AddressFamily.InterNetwork))
            .ToList();
        if (ordered.Count != unique.Count)
        {
            throw new ArgumentException("Host candidates need IPv4 or IPv6 addresses.", nameof(addresses));
        }

        var result = new List<IceCandidate>(ordered.Count);
        for (int i = 0; i < ordered.Count; i++)
        {
            int localPreference = 65535 - i;
            IPAddress address = ordered[i];
            result.Add(new IceCandidate(
                ComputeFoundation(IceCandidateType.Host, address, "udp"),
                componentId,
                "udp",
                ComputePriority(HostTypePreference, localPreference, componentId),
                address.ToString(),
                port,
                IceCandidateType.Host));
        }

        return result;
    }

    /// <summary>
    /// RFC 8445 §5.1.1.3: equal for candidates of the same type, base address and transport. A CRC-32 of
    /// those, in decimal, is stable across restarts and within the 32 ice-char limit.
    /// </summary>
    public static string ComputeFoundation(IceCandidateType type, IPAddress baseAddress, string transport) =>
        Crc32.Compute(Encoding.ASCII.GetBytes($"{TypeToToken(type)}|{baseAddress}|{transport}")).ToString(CultureInfo.InvariantCulture);

    private static string TypeToToken(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => "host",
        IceCandidateType.ServerReflexive => "srflx",
        IceCandidateType.PeerReflexive => "prflx",
        _ => "relay",
    };

    private static bool TryParseType(string token, out IceCandidateType type)
    {
        switch (token.ToLowerInvariant())
        {
            case "host": type = IceCandidateType.Host; return true;
            case "srflx": type = IceCandidateType.ServerReflexive; return true;
            case "prflx": type = IceCandidateType.PeerReflexive; return true;
            case "relay": type = IceCandidateType.Relayed; return true;
            default: type = default; return false;
        }
    }
}
