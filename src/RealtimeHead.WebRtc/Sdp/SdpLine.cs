namespace RealtimeHead.WebRtc.Sdp;

/// <summary>One <c>&lt;type&gt;=&lt;value&gt;</c> line (RFC 8866 §5); unknown types are kept verbatim.</summary>
internal readonly record struct SdpLine(char Type, string Value)
{
    public override string ToString() => $"{Type}={Value}";
}

/// <summary>
/// An <c>a=</c> line split into name and optional value (RFC 8866 §5.13): <c>a=rtcp-mux</c> is a flag
/// (<see cref="Value"/> null), <c>a=mid:0</c> has the value <c>0</c>.
/// </summary>
internal sealed record SdpAttribute(string Name, string? Value)
{
    public static SdpAttribute Parse(string lineValue)
    {
        int colon = lineValue.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new SdpAttribute(lineValue, null) : new SdpAttribute(lineValue[..colon], lineValue[(colon + 1)..]);
    }

    public SdpLine ToLine() => new('a', Value is null ? Name : Name + ":" + Value);
}
