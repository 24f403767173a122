namespace RealtimeHead.Corpus.Animation;

/// <summary>A timed phoneme of a clip: IPA name (empty = pause), its viseme and [Start, End) in seconds.</summary>
internal sealed record PhonemeSpan(string Phoneme, Viseme Viseme, double Start, double End);
