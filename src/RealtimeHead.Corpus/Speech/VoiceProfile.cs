namespace RealtimeHead.Corpus.Speech;

/// <summary>
/// An espeak-ng voice and its prosody. <paramref name="Voice"/> is an espeak-ng voice name with an optional
/// variant (<c>en</c>, <c>en-us</c>, <c>en+f3</c>); <paramref name="Rate"/> in words per minute (80–450),
/// <paramref name="Pitch"/> and <paramref name="PitchRange"/> 0–100 (50 = the voice's normal).
/// </summary>
public sealed record VoiceProfile(string Voice, int Rate = 175, int Pitch = 50, int PitchRange = 50)
{
    /// <summary>The formant voices and variants the generator draws from (no MBROLA voices: they need extra data).</summary>
    public static IReadOnlyList<string> StandardVoices { get; } =
    [
        "en", "en-us", "en+m3", "en-us+m1", "en+f2", "en+f3", "en-us+f4", "en-gb-x-rp", "en-gb-scotland+m7", "en-029+f1",
    ];

    /// <summary>Throws if a field is out of range; returns this for chaining.</summary>
    public VoiceProfile Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Voice);
        ArgumentOutOfRangeException.ThrowIfLessThan(Rate, 80);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Rate, 450);
        ArgumentOutOfRangeException.ThrowIfLessThan(Pitch, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Pitch, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(PitchRange, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PitchRange, 100);
        return this;
    }
}
