using System.Globalization;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// Voices that do not come from the browser's microphone: audio pushed over a WebSocket and text spoken by espeak-ng
/// on the server (section <c>RealtimeHead:Bots</c>). Checked at start with the rest of the configuration.
/// </summary>
public sealed record BotOptions
{
    /// <summary>
    /// Pushed audio held ahead of real time per session; a bot that pushes faster is slowed down (the server stops
    /// reading its socket until there is room) rather than losing audio. Default 10 s; 1 s – 60 s.
    /// </summary>
    public TimeSpan MaxBufferedAudio { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Audio a push stream buffers before it starts to play, and again after it ran dry: absorbs a real-time bot's
    /// network jitter at the cost of this much latency. Default 60 ms; 0 – 1 s.
    /// </summary>
    public TimeSpan PushPrebuffer { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Largest WebSocket message (one PCM block or one Opus packet); larger closes the socket with 1009. Default 64 KiB; 1 KiB – 1 MiB.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Longest text of one utterance, in characters. Default 1000; 1 – 20 000.</summary>
    public int MaxSpeechTextLength { get; init; } = 1000;

    /// <summary>Utterances queued per session (playing included); more are refused with <c>speech_queue_full</c>. Default 8; 1 – 100.</summary>
    public int MaxQueuedUtterances { get; init; } = 8;

    /// <summary>Longest audio of one utterance; longer synthesis is refused with <c>speech_too_long</c>. Default 60 s; 1 s – 10 min.</summary>
    public TimeSpan MaxUtteranceDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one espeak-ng run may take before it is killed. Default 10 s; 1 s – 2 min.</summary>
    public TimeSpan SpeechTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>espeak-ng runs at once, across sessions (each is a short CPU-bound process). Default 2; 1 – 64.</summary>
    public int MaxConcurrentSyntheses { get; init; } = 2;

    /// <summary>The espeak-ng executable (a name on PATH or a path). Default <c>espeak-ng</c>.</summary>
    public string EspeakPath { get; init; } = "espeak-ng";

    /// <summary>Voice of utterances that name none (an espeak-ng voice, optionally with a variant: <c>en-us</c>, <c>en+f3</c>). Default <c>en-us</c>.</summary>
    public string DefaultVoice { get; init; } = "en-us";

    /// <summary>Speaking rate of utterances that give none, in words per minute. Default 170; 80 – 450.</summary>
    public int DefaultRate { get; init; } = 170;

    /// <summary>Pitch of utterances that give none, 0 – 100 (50 = the voice's normal). Default 50.</summary>
    public int DefaultPitch { get; init; } = 50;

    /// <summary>Lists every problem with these options, each naming its key (under <paramref name="prefix"/>) and the allowed range.</summary>
    internal IEnumerable<string> GetErrors(string prefix)
    {
        var errors = new List<string>();
        Check(errors, prefix, nameof(MaxBufferedAudio), MaxBufferedAudio, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), "00:00:10");
        Check(errors, prefix, nameof(PushPrebuffer), PushPrebuffer, TimeSpan.Zero, TimeSpan.FromSeconds(1), "00:00:00.060");
        Check(errors, prefix, nameof(MaxMessageBytes), MaxMessageBytes, 1024, 1024 * 1024, "65536");
        Check(errors, prefix, nameof(MaxSpeechTextLength), MaxSpeechTextLength, 1, 20_000, "1000");
        Check(errors, prefix, nameof(MaxQueuedUtterances), MaxQueuedUtterances, 1, 100, "8");
        Check(errors, prefix, nameof(MaxUtteranceDuration), MaxUtteranceDuration, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "00:01:00");
        Check(errors, prefix, nameof(SpeechTimeout), SpeechTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), "00:00:10");
        Check(errors, prefix, nameof(MaxConcurrentSyntheses), MaxConcurrentSyntheses, 1, 64, "2");
        Check(errors, prefix, nameof(DefaultRate), DefaultRate, SpeechRequest.MinRate, SpeechRequest.MaxRate, "170");
        Check(errors, prefix, nameof(DefaultPitch), DefaultPitch, 0, 100, "50");
        if (string.IsNullOrWhiteSpace(EspeakPath))
        {
            errors.Add($"{prefix}{nameof(EspeakPath)} is empty; set it to espeak-ng (on PATH) or the executable's path.");
        }

        if (!SpeechRequest.IsValidVoice(DefaultVoice))
        {
            errors.Add($"{prefix}{nameof(DefaultVoice)} is '{DefaultVoice}'; set an espeak-ng voice name such as en-us or en+f3 (letters, digits, '-', '+', '_').");
        }

        return errors;
    }

    private static void Check(List<string> errors, string prefix, string key, long value, long min, long max, string defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{key} is {value}; set it to {min}-{max} (default {defaultValue})."));
        }
    }

    private static void Check(List<string> errors, string prefix, string key, TimeSpan value, TimeSpan min, TimeSpan max, string defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{prefix}{key} is {value}; set it to {min}-{max} (default {defaultValue})."));
        }
    }
}
