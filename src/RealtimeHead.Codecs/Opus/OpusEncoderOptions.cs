namespace RealtimeHead.Codecs.Opus;

/// <summary>
/// Settings of an <see cref="OpusEncoder"/>. The encoder always runs at 48 kHz with the VOIP application and
/// 20 ms frames: the rate and packet time WebRTC peers expect (RFC 7587 §4.1, §7).
/// </summary>
public sealed record OpusEncoderOptions
{
    /// <summary>Channels of the PCM given to the encoder: 1 or 2. Default 1 (a voice).</summary>
    public int Channels { get; init; } = 1;

    /// <summary>Target bitrate in bits/s, 6 000..510 000. Default 32 000 (wideband speech with FEC headroom).</summary>
    public int Bitrate { get; init; } = 32_000;

    /// <summary>Encoder complexity 0..10. Default 9: 20 ms of mono costs well under a millisecond.</summary>
    public int Complexity { get; init; } = 9;

    /// <summary>
    /// Whether to embed a low-bitrate copy of each frame in the next packet (in-band FEC, RFC 6716 §2.1.7),
    /// so the receiver can rebuild one lost packet from its successor. Default true.
    /// </summary>
    public bool InbandFec { get; init; } = true;

    /// <summary>Expected packet loss in percent, 0..100; FEC strength follows it. Default 10.</summary>
    public int ExpectedPacketLossPercent { get; init; } = 10;

    /// <summary>
    /// Discontinuous transmission: during silence the encoder emits 1–2 byte packets that need not be sent
    /// (RFC 7587 §3.1.3). Default false.
    /// </summary>
    public bool Dtx { get; init; }

    /// <summary>Every problem with these options, each saying what to change; empty when valid.</summary>
    public IReadOnlyList<string> GetErrors()
    {
        var errors = new List<string>();
        if (Channels is not (1 or 2))
        {
            errors.Add($"{nameof(Channels)} is {Channels}; use 1 or 2.");
        }

        if (Bitrate is < 6_000 or > 510_000)
        {
            errors.Add($"{nameof(Bitrate)} is {Bitrate} bits/s; use 6000..510000.");
        }

        if (Complexity is < 0 or > 10)
        {
            errors.Add($"{nameof(Complexity)} is {Complexity}; use 0..10.");
        }

        if (ExpectedPacketLossPercent is < 0 or > 100)
        {
            errors.Add($"{nameof(ExpectedPacketLossPercent)} is {ExpectedPacketLossPercent}; use 0..100.");
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem at once.</summary>
    public void Validate()
    {
        var errors = GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Opus encoder options: " + string.Join(" ", errors));
        }
    }
}
