namespace RealtimeHead.Codecs.Opus;

/// <summary>Settings of an <see cref="OpusDecoder"/>, which always decodes at 48 kHz.</summary>
public sealed record OpusDecoderOptions
{
    /// <summary>
    /// Channels of the decoded PCM: 1 or 2. Default 1. Any Opus stream (SDP always says opus/48000/2,
    /// RFC 7587 §7) decodes to either; libopus down- or up-mixes.
    /// </summary>
    public int Channels { get; init; } = 1;

    /// <summary>Every problem with these options; empty when valid.</summary>
    public IReadOnlyList<string> GetErrors() =>
        Channels is 1 or 2 ? [] : [$"{nameof(Channels)} is {Channels}; use 1 or 2."];

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem at once.</summary>
    public void Validate()
    {
        var errors = GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Opus decoder options: " + string.Join(" ", errors));
        }
    }
}
