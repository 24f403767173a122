namespace RealtimeHead.Corpus.Speech;

/// <summary>Synthesised speech: mono 16-bit samples at <see cref="SampleRate"/> and the phoneme onsets in them.</summary>
public sealed record Utterance(string Text, VoiceProfile Voice, int SampleRate, short[] Samples, IReadOnlyList<PhonemeEvent> Phonemes)
{
    public double Duration => (double)Samples.Length / SampleRate;
}
