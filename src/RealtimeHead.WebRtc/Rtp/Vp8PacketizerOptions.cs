namespace RealtimeHead.WebRtc.Rtp;

/// <summary>Settings of <see cref="Vp8Packetizer"/>.</summary>
internal sealed record Vp8PacketizerOptions
{
    /// <summary>
    /// Largest RTP payload (descriptor included) in bytes. Default 1200: with RTP, SRTP, UDP and IPv6 headers
    /// it stays under a 1280-byte path MTU. Range 16-65000.
    /// </summary>
    public int MaxPayloadSize { get; init; } = 1200;

    /// <summary>
    /// 15-bit picture id of the first frame; null picks a random one (RFC 7741 §4.2 recommends a random start).
    /// Range 0-32767.
    /// </summary>
    public ushort? InitialPictureId { get; init; }

    /// <summary>Lists every problem; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxPayloadSize is < 16 or > 65000)
        {
            errors.Add($"{nameof(MaxPayloadSize)} is {MaxPayloadSize}; use 16-65000 (default 1200).");
        }

        if (InitialPictureId > 0x7FFF)
        {
            errors.Add($"{nameof(InitialPictureId)} is {InitialPictureId}; picture ids are 15 bits (0-32767).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(Vp8PacketizerOptions)}: {string.Join(" ", errors)}");
        }
    }
}
