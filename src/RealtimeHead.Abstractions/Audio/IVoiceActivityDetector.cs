namespace RealtimeHead.Audio;

/// <summary>Speech probability of fixed-size windows of 16 kHz mono audio (Silero VAD: 512 samples = 32 ms).</summary>
public interface IVoiceActivityDetector : IDisposable
{
    /// <summary>Samples per window the detector takes.</summary>
    int WindowSamples { get; }

    /// <summary>Probability in [0, 1] that the window (exactly <see cref="WindowSamples"/> long, values in [-1, 1]) holds speech.</summary>
    float Process(ReadOnlySpan<float> window);

    /// <summary>Clears the detector's recurrent state.</summary>
    void Reset();
}
