namespace RealtimeHead.Codecs.Vp8;

/// <summary>Settings of a <see cref="Vp8Decoder"/>.</summary>
public sealed record Vp8DecoderOptions
{
    /// <summary>Decoder threads, 1..16. Default 1.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Widest picture accepted, 16..16383. Default 4096. A keyframe header claiming more is rejected before
    /// libvpx sees it, so a hostile peer cannot make the decoder allocate gigabytes of frame buffers.
    /// </summary>
    public int MaxWidth { get; init; } = 4096;

    /// <summary>Tallest picture accepted, 16..16383. Default 4096.</summary>
    public int MaxHeight { get; init; } = 4096;

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> GetErrors()
    {
        var errors = new List<string>();
        if (Threads is < 1 or > 16)
        {
            errors.Add($"{nameof(Threads)} is {Threads}; use 1..16.");
        }

        if (MaxWidth is < 16 or > 16383)
        {
            errors.Add($"{nameof(MaxWidth)} is {MaxWidth}; use 16..16383.");
        }

        if (MaxHeight is < 16 or > 16383)
        {
            errors.Add($"{nameof(MaxHeight)} is {MaxHeight}; use 16..16383.");
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem at once.</summary>
    public void Validate()
    {
        var errors = GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid VP8 decoder options: " + string.Join(" ", errors));
        }
    }
}
