using RealtimeHead.Corpus.Animation;
using RealtimeHead.Corpus.Speech;
using RealtimeHead.Corpus.Tests.TestSupport;

namespace RealtimeHead.Corpus.Tests.Speech;

public sealed class SpeechSynthesizerTests
{
    [Fact]
    public void Synthesize_Sentence_ReturnsAudioAndIpaPhonemes()
    {
        var utterance = SpeechSynthesizer.Synthesize("Hello world.", new VoiceProfile("en"));

        Assert.Equal(22050, utterance.SampleRate);
        Assert.InRange(utterance.Duration, 0.5, 2.0);
        var names = utterance.Phonemes.Select(p => p.Phoneme).Where(p => p.Length > 0).ToList();
        Assert.Equal(["h", "ə", "l", "əʊ", "w", "ɜː", "l", "d"], names);
        Assert.True(utterance.Phonemes.Zip(utterance.Phonemes.Skip(1)).All(p => p.First.Sample <= p.Second.Sample), "phoneme onsets are ordered");
    }

    [Fact]
    public void Synthesize_SameTextTwice_IdenticalSamples()
    {
        // libespeak-ng keeps wave-generator state between calls; the synthesizer reloads it so this holds.
        var voice = new VoiceProfile("en+f3", 180, 60, 50);
        var first = SpeechSynthesizer.Synthesize("We speak clearly.", voice);
        _ = SpeechSynthesizer.Synthesize("Something else in between.", new VoiceProfile("en-us"));
        var second = SpeechSynthesizer.Synthesize("We speak clearly.", voice);

        Assert.Equal(first.Samples, second.Samples);
        Assert.Equal(first.Phonemes, second.Phonemes);
    }

    [Fact]
    public void Synthesize_FasterRate_IsShorter()
    {
        var slow = SpeechSynthesizer.Synthesize("The farmer painted the wooden boat.", new VoiceProfile("en-us", 120));
        var fast = SpeechSynthesizer.Synthesize("The farmer painted the wooden boat.", new VoiceProfile("en-us", 300));

        Assert.True(fast.Duration < slow.Duration * 0.6, $"fast {fast.Duration:F2} s, slow {slow.Duration:F2} s");
    }

    [Fact]
    public void Synthesize_UnknownVoice_ThrowsNamingVoice()
    {
        var error = Assert.Throws<ArgumentException>(() => SpeechSynthesizer.Synthesize("Hi.", new VoiceProfile("xx-nonexistent")));
        Assert.Contains("xx-nonexistent", error.Message);
    }

    [Fact]
    public void VoiceProfile_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceProfile("en", Rate: 20).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceProfile("en", Pitch: 101).Validate());
    }

    [Theory]
    [InlineData("en", "Anna opened all of it.")]
    [InlineData("en-us", "Apples are awesome.")]
    [InlineData("en+f3", "Ice is always cold.")]
    public void PhonemeTimings_FirstVowel_WithinThirtyMillisecondsOfEnergyOnset(string voice, string text)
    {
        var utterance = SpeechSynthesizer.Synthesize(text, new VoiceProfile(voice));
        var rate = utterance.SampleRate;
        var firstVowel = utterance.Phonemes.First(p => PhonemeVisemeMap.IsVowel(PhonemeVisemeMap.Map(p.Phoneme)));

        // Energy onset: the first 5 ms window whose RMS exceeds 10 % of the utterance's peak window.
        var window = rate / 200;
        var envelope = Signals.Envelope(utterance.Samples, window);
        var peak = envelope.Max();
        var onsetWindow = Array.FindIndex(envelope, e => e > 0.1 * peak);
        var onset = onsetWindow * (double)window / rate;
        var vowel = (double)firstVowel.Sample / rate;

        Assert.True(Math.Abs(vowel - onset) < 0.030, $"vowel '{firstVowel.Phoneme}' at {vowel * 1000:F0} ms, energy onset at {onset * 1000:F0} ms");
    }
}
