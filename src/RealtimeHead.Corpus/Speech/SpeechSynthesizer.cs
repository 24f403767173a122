using System.Runtime.InteropServices;
using System.Text;
using RealtimeHead.Corpus.Native;

namespace RealtimeHead.Corpus.Speech;

/// <summary>
/// Synthesises text with libespeak-ng in synchronous mode, collecting audio and <c>espeakEVENT_PHONEME</c>
/// events (IPA names) from the synth callback. Deterministic: each call loads a fresh library instance (see
/// <see cref="EspeakLibrary"/>) and reseeds libc's rand(), which espeak-ng draws noise from. espeak-ng is
/// process-global, so calls are serialised by one lock.
/// </summary>
public static unsafe class SpeechSynthesizer
{
    private static readonly Lock Gate = new();

    // The callback is a static [UnmanagedCallersOnly] function: it finds the current collector here. Only the
    // thread holding Gate synthesises, and synchronous mode calls back on that thread.
    private static Collector? current;

    /// <summary>Synthesises <paramref name="text"/> (UTF-8, plain text) with <paramref name="voice"/>.</summary>
    /// <exception cref="ArgumentException">espeak-ng does not know the voice.</exception>
    public static Utterance Synthesize(string text, VoiceProfile voice)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(voice);
        voice.Validate();

        lock (Gate)
        {
            using var library = EspeakLibrary.Load();
            var collector = new Collector();
            current = collector;
            try
            {
                library.SetSynthCallback((nint)(delegate* unmanaged<short*, int, EspeakEvent*, int>)&OnSynth);
                var name = Encoding.UTF8.GetBytes(voice.Voice + "\0");
                fixed (byte* pName = name)
                {
                    if (library.SetVoiceByName(pName) != 0)
                    {
                        throw new ArgumentException($"espeak-ng has no voice '{voice.Voice}'.", nameof(voice));
                    }
                }

                _ = library.SetParameter(EspeakLibrary.ParameterRate, voice.Rate, 0);
                _ = library.SetParameter(EspeakLibrary.ParameterPitch, voice.Pitch, 0);
                _ = library.SetParameter(EspeakLibrary.ParameterRange, voice.PitchRange, 0);

                // espeak-ng's noise sources use rand(); a fixed seed per utterance keeps the samples reproducible.
                LibCNative.srand(1);
                var utf8 = Encoding.UTF8.GetBytes(text + "\0");
                fixed (byte* pText = utf8)
                {
                    var error = library.Synth(pText, (nuint)utf8.Length, 0, EspeakLibrary.PositionCharacter, 0, EspeakLibrary.CharsUtf8, null, 0);
                    if (error != 0)
                    {
                        throw new InvalidOperationException($"espeak_Synth failed ({error}).");
                    }
                }
            }
            finally
            {
                current = null;
            }

            return new Utterance(text, voice, library.SampleRate, collector.Samples.ToArray(), collector.Phonemes);
        }
    }

    [UnmanagedCallersOnly]
    private static int OnSynth(short* wav, int count, EspeakEvent* events)
    {
        var collector = current;
        if (collector is null)
        {
            return 1;
        }

        if (wav is not null && count > 0)
        {
            collector.Samples.AddRange(new ReadOnlySpan<short>(wav, count));
        }

        for (var e = events; e is not null && e->Type != EspeakLibrary.EventListTerminated; e++)
        {
            if (e->Type == EspeakLibrary.EventPhoneme)
            {
                var name = new ReadOnlySpan<byte>(e->Id, 8);
                var length = name.IndexOf((byte)0);
                collector.Phonemes.Add(new PhonemeEvent(Encoding.UTF8.GetString(length < 0 ? name : name[..length]), e->Sample));
            }
        }

        return 0;
    }

    private sealed class Collector
    {
        public List<short> Samples { get; } = new(1 << 16);

        public List<PhonemeEvent> Phonemes { get; } = [];
    }
}
