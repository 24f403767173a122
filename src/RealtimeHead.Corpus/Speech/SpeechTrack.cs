using RealtimeHead.Corpus.Animation;

namespace RealtimeHead.Corpus.Speech;

/// <summary>
/// A clip's audio at the dataset rate and its phoneme spans, both cut or padded to an exact length and
/// shifted by a lead-in of silence.
/// </summary>
internal sealed record SpeechTrack(short[] Samples, int SampleRate, IReadOnlyList<PhonemeSpan> Phonemes)
{
    /// <summary>
    /// Resamples <paramref name="utterance"/> to <paramref name="sampleRate"/>, prepends <paramref name="leadSeconds"/>
    /// of silence and cuts or zero-pads to <paramref name="lengthSamples"/>; phoneme events become spans that end
    /// where the next begins (the last ends with the speech) and are clipped to the clip.
    /// </summary>
    public static SpeechTrack FromUtterance(Utterance utterance, int sampleRate, int lengthSamples, double leadSeconds)
    {
        ArgumentNullException.ThrowIfNull(utterance);
        ArgumentOutOfRangeException.ThrowIfNegative(leadSeconds);
        var resampled = new Resampler(utterance.SampleRate, sampleRate).Process(utterance.Samples);
        var lead = (int)Math.Round(leadSeconds * sampleRate);
        var samples = new short[lengthSamples];
        if (lead < lengthSamples)
        {
            resampled.AsSpan(0, Math.Min(resampled.Length, lengthSamples - lead)).CopyTo(samples.AsSpan(lead));
        }

        var duration = (double)lengthSamples / sampleRate;
        var leadTime = (double)lead / sampleRate;
        var spans = new List<PhonemeSpan>();
        var events = utterance.Phonemes.OrderBy(e => e.Sample).ToList();
        for (var i = 0; i < events.Count; i++)
        {
            var start = leadTime + ((double)events[i].Sample / utterance.SampleRate);
            var end = leadTime + (i + 1 < events.Count ? (double)events[i + 1].Sample / utterance.SampleRate : utterance.Duration);
            if (start >= duration || end <= start)
            {
                continue;
            }

            var name = events[i].Phoneme;
            spans.Add(new PhonemeSpan(name, PhonemeVisemeMap.Map(name), Math.Round(start, 5), Math.Round(Math.Min(end, duration), 5)));
        }

        return new SpeechTrack(samples, sampleRate, spans);
    }
}
