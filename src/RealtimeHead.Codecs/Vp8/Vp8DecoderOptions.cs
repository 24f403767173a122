namespace RealtimeHead.Codecs.Vp8;

/// <summary>Settings of a <see cref="Vp8Decoder"/>.</summary>
public sealed record Vp8DecoderOptions
{
    /// <summary>Decoder threads, 1..16. Default 1.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> GetErrors() =>
        Threads is >= 1 and <= 16 ? [] : [$"{nameof(Threads)} is {Threads}; use 1..16."];

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
