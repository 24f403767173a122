namespace RealtimeHead.Audio;

/// <summary>
/// A streaming sample-rate converter of mono float audio (48 kHz in, 16 kHz out for the front-ends). It keeps its
/// filter state between calls; the pipeline creates one per session. Implementations: the windowed-sinc
/// <c>RealtimeHead.Audio.Resampling.Resampler</c> (production) and the pipeline's dependency-free
/// <c>AveragingDecimator</c> (tests, benchmarks). It lives beside <see cref="IAudioFrontEnd"/> so the audio library can
/// implement it without referencing the pipeline.
/// </summary>
public interface IAudioResampler
{
    /// <summary>Input samples per second.</summary>
    int InputRate { get; }

    /// <summary>Output samples per second.</summary>
    int OutputRate { get; }

    /// <summary>
    /// Converts <paramref name="input"/> and writes the output samples it completes into <paramref name="output"/>
    /// (at least <c>input.Length * OutputRate / InputRate + 1</c> long); returns how many were written.
    /// </summary>
    int Process(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Forgets the filter state (barge-in).</summary>
    void Reset();
}
