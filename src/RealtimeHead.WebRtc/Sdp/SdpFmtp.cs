namespace RealtimeHead.WebRtc.Sdp;

/// <summary><c>a=fmtp:&lt;pt&gt; &lt;parameters&gt;</c> (RFC 8866 §6.15); parameters are <c>k=v;k=v</c> for the codecs used here.</summary>
internal sealed record SdpFmtp(byte PayloadType, string Parameters)
{
    /// <summary>The <c>key=value</c> pairs; keys are case-insensitive, values kept as written.</summary>
    public IReadOnlyDictionary<string, string> ParameterMap
    {
        get
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string pair in Parameters.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                map[eq < 0 ? pair : pair[..eq]] = eq < 0 ? string.Empty : pair[(eq + 1)..];
            }

            return map;
        }
    }

    public string ToSdpValue() => $"{PayloadType} {Parameters}";

    public static bool TryParse(string? value, out SdpFmtp? fmtp)
    {
        fmtp = null;
        if (value is null)
        {
            return false;
        }

        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !SdpRtpMap.TryParsePayloadType(value[..space], out byte pt))
        {
            return false;
        }

        fmtp = new SdpFmtp(pt, value[(space + 1)..].Trim());
        return true;
    }
}
