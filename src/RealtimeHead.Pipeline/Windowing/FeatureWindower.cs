namespace RealtimeHead.Pipeline.Windowing;

/// <summary>
/// Cuts the feature stream into one window per video frame. Video frame <c>k</c> sits at media time
/// <c>k × samplesPerFrame</c> (1920 at 25 fps); its centre feature frame <c>c</c> is the one whose timestamp is nearest
/// (ties to the later one), and its window holds feature frames <c>c − W/2 … c + W/2 − 1</c>, so row <c>W/2</c> is the
/// frame's own instant (ER-NeRF's 16-frame window, 320 ms at 50 feature frames/s).
/// <para>
/// Latency is bounded by <c>lookahead</c>: a frame is ready once feature <c>c + lookahead</c> has arrived; rows after
/// it repeat the last one available (edge padding), so a lookahead under <c>W/2</c> trades coarticulation for delay.
/// Rows before the stream (or lost) are silence.
/// </para>
/// <para>
/// Smoothing follows ER-NeRF's AudioAttNet over neighbouring windows (ER-NeRF §3.2), with fixed triangular weights
/// instead of learned attention: the windows of frames <c>k − r … k + r</c> (all cut with frame k's availability, so
/// smoothing adds no latency) are averaged with weights <c>r + 1 − |d|</c>; r = 1 gives ¼, ½, ¼.
/// </para>
/// Not thread-safe: the pipeline calls it under its own lock.
/// </summary>
internal sealed class FeatureWindower
{
    private readonly int _windowFrames;
    private readonly int _lookahead;
    private readonly int _radius;
    private readonly long _samplesPerFrame;
    private readonly long _featureStep;
    private readonly int _featureDim;
    private readonly float[] _silence;
    private readonly Dictionary<long, (float[] Values, bool Speech)> _features = [];
    private long? _origin;
    private long _newest = long.MinValue;

    /// <param name="windowFrames">Feature frames per window (W, even).</param>
    /// <param name="lookahead">Feature frames after the centre that must arrive before the frame is ready (0..W/2).</param>
    /// <param name="smoothingRadius">Neighbouring windows on each side averaged in (0 = none).</param>
    /// <param name="samplesPerFrame">Media samples per video frame (1920 at 25 fps).</param>
    /// <param name="featureStep">Media samples between feature frames (960 at 50 frames/s).</param>
    /// <param name="silence">Feature vector of silence.</param>
    public FeatureWindower(int windowFrames, int lookahead, int smoothingRadius, long samplesPerFrame, long featureStep, float[] silence)
    {
        _windowFrames = windowFrames;
        _lookahead = lookahead;
        _radius = smoothingRadius;
        _samplesPerFrame = samplesPerFrame;
        _featureStep = featureStep;
        _featureDim = silence.Length;
        _silence = silence;
    }

    /// <summary>The next frame index <see cref="TryTake"/> will produce.</summary>
    public long NextFrameIndex { get; private set; }

    /// <summary>Feature frames held.</summary>
    public int BufferedFeatures => _features.Count;

    /// <summary>Adds a feature frame; <paramref name="isSpeech"/> false means it should read as silence.</summary>
    public void Add(float[] values, long mediaTimestamp, bool isSpeech)
    {
        // The first feature frame fixes the feature grid; later ones are placed on it by their timestamps. Frames
        // before it have no audio at all: they are the idle path's, not a burst of silent windows.
        if (_origin is null)
        {
            _origin = mediaTimestamp;
            SkipTo(Math.Max(0, mediaTimestamp) / _samplesPerFrame);
        }

        var index = FeatureIndex(mediaTimestamp);
        _features[index] = (isSpeech ? values : _silence, isSpeech);
        _newest = Math.Max(_newest, index);
        Trim();
    }

    /// <summary>Whether frame <see cref="NextFrameIndex"/> has its lookahead.</summary>
    public bool IsNextReady => _origin is not null && _newest >= CentreOf(NextFrameIndex) + _lookahead;

    /// <summary>Produces the window of frame <see cref="NextFrameIndex"/> when its lookahead has arrived.</summary>
    public bool TryTake(out WindowedFrame frame)
    {
        if (!IsNextReady)
        {
            frame = null!;
            return false;
        }

        var k = NextFrameIndex++;
        var centre = CentreOf(k);
        var limit = centre + _lookahead;
        var window = new float[_windowFrames * _featureDim];
        var weightSum = 0f;
        for (var d = -_radius; d <= _radius; d++)
        {
            float weight = _radius + 1 - Math.Abs(d);
            weightSum += weight;
            Accumulate(window, CentreOf(k + d), limit, weight);
        }

        for (var i = 0; i < window.Length; i++)
        {
            window[i] /= weightSum;
        }

        var speech = _features.TryGetValue(centre, out var f) && f.Speech;
        frame = new WindowedFrame(k, k * _samplesPerFrame, window, speech);
        Trim();
        return true;
    }

    /// <summary>Gives up on frame <see cref="NextFrameIndex"/> (it was rendered idle) and returns its index.</summary>
    public long Skip() => NextFrameIndex++;

    /// <summary>Moves <see cref="NextFrameIndex"/> forward to <paramref name="frameIndex"/> (never back).</summary>
    public void SkipTo(long frameIndex) => NextFrameIndex = Math.Max(NextFrameIndex, frameIndex);

    /// <summary>Drops every feature frame (barge-in); the frame grid and <see cref="NextFrameIndex"/> stay.</summary>
    public void Clear()
    {
        _features.Clear();
        _origin = null;
        _newest = long.MinValue;
    }

    /// <summary>A window of silence.</summary>
    public float[] SilenceWindow()
    {
        var window = new float[_windowFrames * _featureDim];
        for (var row = 0; row < _windowFrames; row++)
        {
            _silence.CopyTo(window, row * _featureDim);
        }

        return window;
    }

    private void Accumulate(float[] window, long centre, long limit, float weight)
    {
        var first = centre - (_windowFrames / 2);
        for (var row = 0; row < _windowFrames; row++)
        {
            var index = Math.Min(first + row, limit);
            var values = _features.TryGetValue(index, out var f) ? f.Values : _silence;
            var offset = row * _featureDim;
            for (var i = 0; i < _featureDim; i++)
            {
                window[offset + i] += weight * values[i];
            }
        }
    }

    private long FeatureIndex(long mediaTimestamp) =>
        (long)Math.Floor(((mediaTimestamp - _origin!.Value) + (_featureStep / 2.0)) / _featureStep);

    private long CentreOf(long frameIndex) => _origin is null ? 0 : FeatureIndex(frameIndex * _samplesPerFrame);

    private void Trim()
    {
        if (_origin is null)
        {
            return;
        }

        // The earliest row the next frame (or its left smoothing neighbour) can read.
        var keepFrom = CentreOf(NextFrameIndex - _radius) - (_windowFrames / 2);
        if (_features.Count > 4 * _windowFrames)
        {
            foreach (var key in _features.Keys.Where(key => key < keepFrom).ToList())
            {
                _features.Remove(key);
            }
        }
    }
}
