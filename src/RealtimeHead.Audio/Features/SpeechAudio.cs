using RealtimeHead.Media;

namespace RealtimeHead.Audio.Features;

/// <summary>Rates shared by the front-ends: they take 16 kHz audio and stamp frames on the 48 kHz media clock.</summary>
public static class SpeechAudio
{
    /// <summary>Rate of the audio every front-end and the VAD take.</summary>
    public const int SampleRate = 16_000;

    /// <summary>Media-clock ticks per 16 kHz sample (48000 / 16000 = 3).</summary>
    public const int MediaTicksPerSample = MediaClock.SampleRate / SampleRate;
}
