using System.Globalization;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary><c>a=ssrc:&lt;ssrc&gt; &lt;attribute&gt;[:&lt;value&gt;]</c> (RFC 5576 §4.1), e.g. <c>1001 cname:abc</c>.</summary>
internal sealed record SdpSsrcAttribute(uint Ssrc, string Name, string? Value)
{
    public string ToSdpValue() =>
        Value is null
            ? string.Create(CultureInfo.InvariantCulture, $"{Ssrc} {Name}")
            : string.Create(CultureInfo.InvariantCulture, $"{Ssrc} {Name}:{Value}");

    public static bool TryParse(string? value, out SdpSsrcAttribute? attribute)
    {
        attribute = null;
        if (value is null)
        {
            return false;
        }

        int space = value.IndexOf(' ', StringComparison.Ordinal);
        string ssrcText = space < 0 ? value : value[..space];
        if (!uint.TryParse(ssrcText, NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc))
        {
            return false;
        }

        string rest = space < 0 ? string.Empty : value[(space + 1)..].Trim();
        int colon = rest.IndexOf(':', StringComparison.Ordinal);
        attribute = colon < 0 ? new SdpSsrcAttribute(ssrc, rest, null) : new SdpSsrcAttribute(ssrc, rest[..colon], rest[(colon + 1)..]);
        return true;
    }
}

/// <summary><c>a=ssrc-group:&lt;semantics&gt; &lt;ssrc&gt;...</c> (RFC 5576 §4.2), e.g. <c>FID 1001 1002</c> for RTX.</summary>
internal sealed record SdpSsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs)
{
    public static bool TryParse(string? value, out SdpSsrcGroup? group)
    {
        group = null;
        string[] parts = value?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (parts.Length < 2)
        {
            return false;
        }

        var ssrcs = new List<uint>(parts.Length - 1);
        foreach (string part in parts.AsSpan(1))
        {
            if (!uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out uint ssrc))
            {
                return false;
            }

            ssrcs.Add(ssrc);
        }

        group = new SdpSsrcGroup(parts[0], ssrcs);
        return true;
    }
}
