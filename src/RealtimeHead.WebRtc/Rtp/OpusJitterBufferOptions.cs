namespace RealtimeHead.WebRtc.Rtp;

/// <summary>Settings of <see cref="OpusJitterBuffer"/>.</summary>
internal sealed record OpusJitterBufferOptions
{
    /// <summary>
    /// Delay between the arrival of a stream's first packet and its playout: the time a late or
    /// retransmitted packet has to arrive. Default 60 ms; range 0-1000 ms.
    /// </summary>
    public TimeSpan TargetDelay { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>
    /// Audio per packet, the playout step. Must match the negotiated ptime (Chromium sends 20 ms).
    /// Default 20 ms; range 2.5-120 ms (RFC 6716 §2.1.4 frame sizes up to 120 ms per packet).
    /// </summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Most packets held; bounds memory and how far ahead a packet may be. Default 50 (1 s of 20 ms packets); range 2-1000.</summary>
    public int Capacity { get; init; } = 50;

    /// <summary>
    /// Consecutive "lost" outputs with an empty buffer after which the buffer stops and rebuffers on the next
    /// packet (the sender paused or went away). Default 10; range 1-1000.
    /// </summary>
    public int MaxConcealedFrames { get; init; } = 10;

    /// <summary>Lists every problem; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (TargetDelay < TimeSpan.Zero || TargetDelay > TimeSpan.FromSeconds(1))
        {
            errors.Add($"{nameof(TargetDelay)} is {TargetDelay.TotalMilliseconds} ms; use 0-1000 ms (default 60).");
        }

        if (FrameDuration < TimeSpan.FromMilliseconds(2.5) || FrameDuration > TimeSpan.FromMilliseconds(120))
        {
            errors.Add($"{nameof(FrameDuration)} is {FrameDuration.TotalMilliseconds} ms; use 2.5-120 ms (default 20, the ptime).");
        }

        if (Capacity is < 2 or > 1000)
        {
            errors.Add($"{nameof(Capacity)} is {Capacity}; use 2-1000 packets (default 50).");
        }

        if (MaxConcealedFrames is < 1 or > 1000)
        {
            errors.Add($"{nameof(MaxConcealedFrames)} is {MaxConcealedFrames}; use 1-1000 (default 10).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(OpusJitterBufferOptions)}: {string.Join(" ", errors)}");
        }
    }
}
