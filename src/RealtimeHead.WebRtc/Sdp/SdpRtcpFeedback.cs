namespace RealtimeHead.WebRtc.Sdp;

/// <summary>
/// <c>a=rtcp-fb:&lt;pt|*&gt; &lt;type&gt; [&lt;parameter&gt;]</c> (RFC 4585 §4.2), e.g. <c>96 nack pli</c>,
/// <c>96 ccm fir</c>, <c>96 goog-remb</c>, <c>111 transport-cc</c>.
/// </summary>
internal sealed record SdpRtcpFeedback(string PayloadType, string Type, string? Parameter = null)
{
    public const string Wildcard = "*";

    public bool AppliesTo(byte payloadType) =>
        PayloadType == Wildcard || PayloadType == payloadType.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public bool Is(string type, string? parameter = null) =>
        Type.Equals(type, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Parameter, parameter, StringComparison.OrdinalIgnoreCase);

    public string ToSdpValue() => Parameter is null ? $"{PayloadType} {Type}" : $"{PayloadType} {Type} {Parameter}";

    public static bool TryParse(string? value, out SdpRtcpFeedback? feedback)
    {
        feedback = null;
        string[] parts = value?.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (parts.Length < 2 || (parts[0] != Wildcard && !SdpRtpMap.TryParsePayloadType(parts[0], out _)))
        {
            return false;
        }

        feedback = new SdpRtcpFeedback(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        return true;
    }
}
