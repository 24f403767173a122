using RealtimeHead.Audio.Internal;

namespace RealtimeHead.Audio.Features;

/// <summary>
/// Streaming wav2vec2 features at 50 frames/s: the encoder runs over sliding windows of recent audio and only the
/// frames of new audio are emitted.
/// <para>Alignment: frame g sees samples [320g, 320g + 400) counted from the first sample after construction or
/// <see cref="Reset"/> (the encoder's own framing), and is stamped at its centre 320g + 200 on the media clock.
/// Every window starts on a multiple of 320 samples, so window frames fall on the same grid as frames of one pass over
/// the whole signal.</para>
/// <para>Each run covers <see cref="Wav2Vec2Options.ContextSamples"/> before the first new frame (fewer at the start
/// of the stream) through exactly <see cref="LookaheadSamples"/> after the last new frame's centre, and happens once
/// <see cref="Wav2Vec2Options.FramesPerRun"/> new frames are ready. Frames therefore see bounded left and right
/// context; for a purely convolutional encoder they equal a one-pass encoding exactly.</para>
/// Audio is taken to be contiguous: a caller that skips audio calls <see cref="Reset"/>. Not thread-safe; the
/// <see cref="Wav2Vec2Model"/> may be shared.
/// </summary>
public sealed class Wav2Vec2FrontEnd : IAudioFrontEnd
{
    private const int Stride = Wav2Vec2Model.FrameStrideSamples;
    private const int FrameCentre = Wav2Vec2Model.ReceptiveFieldSamples / 2;

    private readonly Wav2Vec2Model _model;
    private readonly SampleBuffer _buffer = new(32_768);
    private long _nextFrame;
    private long _anchor;
    private bool _anchored;

    /// <param name="model">The encoder; not owned (dispose it after every front-end using it).</param>
    public Wav2Vec2FrontEnd(Wav2Vec2Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        Options = model.Options;
        Reset();
    }

    public Wav2Vec2Options Options { get; }

    public string Name => "wav2vec2";

    public int FeatureDim => _model.FeatureDim;

    public int FramesPerSecond => SpeechAudio.SampleRate / Stride;

    public int LookaheadSamples => Options.LookaheadSamples;

    /// <summary>Runs of the encoder so far (for metrics).</summary>
    public long Runs { get; private set; }

    public IReadOnlyList<FeatureFrame> Process(ReadOnlySpan<float> samples, long mediaTimestamp)
    {
        if (!_anchored)
        {
            _anchor = mediaTimestamp;
            _anchored = true;
        }
        _buffer.Append(samples);
        // Last frame g with 320g + 200 + lookahead ≤ samples received.
        var ready = _buffer.End - FrameCentre - Options.LookaheadSamples;
        if (ready < 0) return [];
        var lastFrame = ready / Stride;
        if (lastFrame - _nextFrame + 1 < Options.FramesPerRun) return [];

        var windowStart = Math.Max(0, _nextFrame * Stride - Options.ContextSamples) / Stride * Stride;
        var windowEnd = lastFrame * Stride + FrameCentre + Options.LookaheadSamples;
        var window = _buffer.Slice(windowStart, (int)(windowEnd - windowStart)).ToArray();
        if (Options.NormalizeInput) Normalize(window);

        var features = _model.Encode(window, out var frameCount);
        Runs++;
        var firstLocal = (int)((_nextFrame - windowStart / Stride));
        var lastLocal = (int)((lastFrame - windowStart / Stride));
        if (lastLocal >= frameCount)
        {
            throw new InvalidOperationException(
                $"The wav2vec2 model returned {frameCount} frames for {window.Length} samples; the 320-sample stride " +
                $"with a 400-sample receptive field gives {Wav2Vec2Model.FrameCount(window.Length)}.");
        }
        var dim = _model.FeatureDim;
        var frames = new List<FeatureFrame>(lastLocal - firstLocal + 1);
        for (var local = firstLocal; local <= lastLocal; local++)
        {
            var g = windowStart / Stride + local;
            var values = features.AsSpan(local * dim, dim).ToArray();
            frames.Add(new FeatureFrame(values, _anchor + (g * Stride + FrameCentre) * SpeechAudio.MediaTicksPerSample));
        }
        _nextFrame = lastFrame + 1;
        _buffer.DiscardBefore(Math.Max(0, _nextFrame * Stride - Options.ContextSamples) / Stride * Stride);
        return frames;
    }

    public void Reset()
    {
        _buffer.Clear();
        _nextFrame = 0;
        _anchored = false;
    }

    public void Dispose()
    {
    }

    private static void Normalize(float[] window)
    {
        double sum = 0, squares = 0;
        foreach (var x in window)
        {
            sum += x;
            squares += (double)x * x;
        }
        var mean = sum / window.Length;
        var std = Math.Sqrt(Math.Max(0, squares / window.Length - mean * mean) + 1e-7);
        for (var i = 0; i < window.Length; i++) window[i] = (float)((window[i] - mean) / std);
    }
}
