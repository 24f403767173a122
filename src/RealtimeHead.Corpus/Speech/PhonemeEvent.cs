namespace RealtimeHead.Corpus.Speech;

/// <summary>A phoneme as espeak-ng reported it: IPA name (empty for a pause) and the sample where it starts.</summary>
public readonly record struct PhonemeEvent(string Phoneme, long Sample);
