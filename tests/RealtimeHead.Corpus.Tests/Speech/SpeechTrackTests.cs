using RealtimeHead.Corpus.Animation;
using RealtimeHead.Corpus.Speech;
using RealtimeHead.Corpus.Tests.TestSupport;

namespace RealtimeHead.Corpus.Tests.Speech;

public sealed class SpeechTrackTests
{
    [Fact]
    public void FromUtterance_LeadIn_ShiftsAudioAndPhonemesTogether()
    {
        var utterance = SpeechSynthesizer.Synthesize("Anna ate an apple.", new VoiceProfile("en"));

        var track = SpeechTrack.FromUtterance(utterance, 16000, 32000, leadSeconds: 0.25);

        Assert.Equal(32000, track.Samples.Length);
        Assert.All(track.Samples.AsSpan(0, 3900).ToArray(), s => Assert.Equal(0, s));
        var firstVowel = track.Phonemes.First(p => PhonemeVisemeMap.IsVowel(p.Viseme));
        var envelope = Signals.Envelope(track.Samples, 80);
        var onset = Array.FindIndex(envelope, e => e > 0.1 * envelope.Max()) * 80 / 16000.0;
        Assert.True(Math.Abs(firstVowel.Start - onset) < 0.030, $"vowel at {firstVowel.Start:F3} s, onset at {onset:F3} s");
        Assert.True(firstVowel.Start >= 0.25 - 1e-9, $"vowel at {firstVowel.Start:F3} s precedes the lead-in");
    }

    [Fact]
    public void FromUtterance_ShorterClip_CutsAudioAndClipsSpans()
    {
        var utterance = SpeechSynthesizer.Synthesize("The musician borrowed seven purple balloons at the market.", new VoiceProfile("en-us"));

        var track = SpeechTrack.FromUtterance(utterance, 16000, 8000, leadSeconds: 0);

        Assert.Equal(8000, track.Samples.Length);
        Assert.NotEmpty(track.Phonemes);
        Assert.All(track.Phonemes, p => Assert.True(p.Start < 0.5 && p.End <= 0.5 && p.Start < p.End));
        Assert.True(track.Phonemes.Zip(track.Phonemes.Skip(1)).All(p => p.First.End <= p.Second.Start + 1e-9), "spans do not overlap");
    }
}
