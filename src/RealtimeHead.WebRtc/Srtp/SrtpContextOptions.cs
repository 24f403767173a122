namespace RealtimeHead.WebRtc.Srtp;

/// <summary>Settings of an <see cref="SrtpContext"/>.</summary>
internal sealed record SrtpContextOptions
{
    /// <summary>
    /// Replay window length in packets (RFC 3711 §3.3.2 asks for at least 64). Default 1024, as
    /// libwebrtc uses, so a burst of reordered video packets is not dropped. Range 64..32768, a
    /// multiple of 64.
    /// </summary>
    public int ReplayWindowSize { get; init; } = 1024;

    /// <summary>
    /// Most SSRCs tracked per direction and packet kind. State for a new inbound SSRC is only
    /// created once a packet authenticates, so this bounds memory against a buggy peer. Default 64,
    /// range 1..65536.
    /// </summary>
    public int MaxStreams { get; init; } = 64;

    /// <summary>Defaults.</summary>
    public static SrtpContextOptions Default { get; } = new();

    /// <summary>Throws listing every invalid value at once.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (ReplayWindowSize is < 64 or > 32768 || ReplayWindowSize % 64 != 0)
        {
            errors.Add($"{nameof(ReplayWindowSize)} is {ReplayWindowSize}; use a multiple of 64 between 64 and 32768 (default 1024).");
        }

        if (MaxStreams is < 1 or > 65536)
        {
            errors.Add($"{nameof(MaxStreams)} is {MaxStreams}; use 1..65536 (default 64).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid SRTP options: " + string.Join(" ", errors));
        }
    }
}
