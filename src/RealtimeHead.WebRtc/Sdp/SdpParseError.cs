namespace RealtimeHead.WebRtc.Sdp;

/// <summary>Why a text is not SDP: the 1-based line (0 for the whole text) and what was wrong there.</summary>
internal sealed record SdpParseError(int Line, string Message)
{
    public override string ToString() => Line > 0 ? $"SDP line {Line}: {Message}" : $"SDP: {Message}";
}
