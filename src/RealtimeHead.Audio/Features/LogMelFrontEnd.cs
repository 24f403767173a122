using RealtimeHead.Audio.Internal;

namespace RealtimeHead.Audio.Features;

/// <summary>
/// Streaming log-mel features at 50 frames/s from 16 kHz audio.
/// <para>Analysis: 25 ms periodic Hann windows (400 samples) every 10 ms (160 samples), zero-padded to a 512-point
/// FFT, power spectrum, <see cref="LogMelOptions.MelBins"/> Slaney mel filters, natural log with a floor. That gives
/// 100 frames/s; each output frame is the mean of two consecutive log-mel frames, so there are 50 frames/s, two per
/// 25 fps video frame.</para>
/// <para>Alignment: output frame j describes the 20 ms slot of samples [320j, 320j + 320) counted from the first
/// sample after construction or <see cref="Reset"/>; its two analysis windows are centred 80 samples either side of
/// the slot's centre 320j + 160, which is the frame's <see cref="FeatureFrame.MediaTimestamp"/>. The stream is padded
/// with 120 samples of silence before its start. A frame is emitted once <see cref="LookaheadSamples"/> = 280
/// samples (17.5 ms) after its centre have arrived (the end of its second window).</para>
/// Audio is taken to be contiguous: a caller that skips audio calls <see cref="Reset"/>. Not thread-safe.
/// </summary>
public sealed class LogMelFrontEnd : IAudioFrontEnd
{
    internal const int WindowSamples = 400;
    internal const int HopSamples = 160;
    internal const int FftSize = 512;
    private const int FramePairSamples = 2 * HopSamples;
    private const int LeadingPadding = 120;   // window k starts at 160k - 120, so its centre is 160k + 80

    private readonly Fft _fft = new(FftSize);
    private readonly MelFilterBank _filters;
    private readonly float[] _window = new float[WindowSamples];
    private readonly float[] _real = new float[FftSize];
    private readonly float[] _imaginary = new float[FftSize];
    private readonly float[] _power = new float[FftSize / 2 + 1];
    private readonly float[] _mel;
    private readonly float[] _pending;
    private readonly float _logFloor;
    private readonly SampleBuffer _buffer = new();
    private long _nextWindow;       // index k of the next 100 Hz analysis window
    private long _anchor;           // media timestamp of stream sample 0
    private bool _anchored;

    public LogMelFrontEnd() : this(new LogMelOptions())
    {
    }

    public LogMelFrontEnd(LogMelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _filters = new MelFilterBank(options.MelBins, FftSize, SpeechAudio.SampleRate, options.MinFrequencyHz, options.MaxFrequencyHz);
        _mel = new float[options.MelBins];
        _pending = new float[options.MelBins];
        _logFloor = (float)options.LogFloor;
        for (var n = 0; n < WindowSamples; n++) _window[n] = (float)(0.5 - 0.5 * Math.Cos(2 * Math.PI * n / WindowSamples));
        Reset();
    }

    public LogMelOptions Options { get; }

    public string Name => "log-mel";

    public int FeatureDim => Options.MelBins;

    public int FramesPerSecond => SpeechAudio.SampleRate / FramePairSamples;

    /// <summary>280 samples (17.5 ms): from a frame's centre to the end of its second analysis window.</summary>
    public int LookaheadSamples => HopSamples + WindowSamples - LeadingPadding - FramePairSamples / 2;

    /// <summary>Centre frequencies of the mel filters in Hz.</summary>
    public IReadOnlyList<double> MelCentreFrequencies => _filters.CentreFrequencies;

    public IReadOnlyList<FeatureFrame> Process(ReadOnlySpan<float> samples, long mediaTimestamp)
    {
        if (!_anchored)
        {
            _anchor = mediaTimestamp;
            _anchored = true;
        }
        _buffer.Append(samples);
        List<FeatureFrame>? frames = null;
        while (_buffer.End >= _nextWindow * HopSamples - LeadingPadding + WindowSamples)
        {
            AnalyseWindow(_buffer.Slice(_nextWindow * HopSamples - LeadingPadding, WindowSamples), _mel);
            if ((_nextWindow & 1) == 0)
            {
                _mel.CopyTo(_pending, 0);
            }
            else
            {
                var values = new float[_mel.Length];
                for (var m = 0; m < values.Length; m++) values[m] = 0.5f * (_pending[m] + _mel[m]);
                var pair = _nextWindow / 2;
                var centre = pair * FramePairSamples + FramePairSamples / 2;
                (frames ??= []).Add(new FeatureFrame(values, _anchor + centre * SpeechAudio.MediaTicksPerSample));
            }
            _nextWindow++;
        }
        _buffer.DiscardBefore(_nextWindow * HopSamples - LeadingPadding);
        return frames ?? (IReadOnlyList<FeatureFrame>)[];
    }

    public void Reset()
    {
        _buffer.Clear(-LeadingPadding);
        _buffer.AppendZeros(LeadingPadding);
        _nextWindow = 0;
        _anchored = false;
    }

    public void Dispose()
    {
    }

    /// <summary>Log-mel energies of one 400-sample window.</summary>
    internal void AnalyseWindow(ReadOnlySpan<float> samples, Span<float> logMel)
    {
        for (var n = 0; n < WindowSamples; n++) _real[n] = samples[n] * _window[n];
        Array.Clear(_real, WindowSamples, FftSize - WindowSamples);
        Array.Clear(_imaginary);
        _fft.Forward(_real, _imaginary);
        for (var k = 0; k < _power.Length; k++) _power[k] = _real[k] * _real[k] + _imaginary[k] * _imaginary[k];
        _filters.Apply(_power, logMel);
        for (var m = 0; m < logMel.Length; m++) logMel[m] = MathF.Log(MathF.Max(logMel[m], _logFloor));
    }
}
