using RealtimeHead.Audio;
using RealtimeHead.Media;

namespace RealtimeHead.Pipeline.Idle;

/// <summary>
/// Decides whether a feature frame is speech, so that silence is rendered from silence features and the mouth never
/// moves on noise. Runs the voice-activity detector (or, without one, an RMS threshold) on consecutive
/// <c>WindowSamples</c>-long windows of the 16 kHz stream; an instant counts as speech from <c>preroll</c> before a
/// speech window to <c>hangover</c> after it, so word onsets are not clipped and short pauses do not snap the mouth shut.
/// </summary>
internal sealed class SpeechGate
{
    private const int EnergyWindowSamples = 320; // 20 ms at 16 kHz when no detector is given.
    private readonly IVoiceActivityDetector? _detector;
    private readonly float _threshold;
    private readonly float _energyThreshold;
    private readonly long _hangover;
    private readonly long _preroll;
    private readonly float[] _window;
    private readonly Queue<(long Start, long End)> _speech = new();
    private int _filled;
    private long _windowStart = long.MinValue;
    private long _analysedUntil = long.MinValue;

    /// <param name="detector">Voice-activity detector, or null for the energy threshold.</param>
    /// <param name="threshold">Speech probability at or above which a window is speech.</param>
    /// <param name="energyThresholdDbfs">RMS level (dBFS) at or above which a window is speech without a detector.</param>
    /// <param name="hangover">How long after speech an instant still counts as speech.</param>
    /// <param name="preroll">How long before speech an instant already counts as speech.</param>
    public SpeechGate(IVoiceActivityDetector? detector, float threshold, double energyThresholdDbfs, TimeSpan hangover, TimeSpan preroll)
    {
        _detector = detector;
        _threshold = threshold;
        _energyThreshold = (float)Math.Pow(10, energyThresholdDbfs / 20);
        _hangover = MediaClock.FromTimeSpan(hangover);
        _preroll = MediaClock.FromTimeSpan(preroll);
        _window = new float[detector?.WindowSamples ?? EnergyWindowSamples];
    }

    /// <summary>Analyses 16 kHz samples whose first sample sits at <paramref name="mediaTimestamp"/> (48 kHz clock).</summary>
    public void Process(ReadOnlySpan<float> samples, long mediaTimestamp)
    {
        for (var i = 0; i < samples.Length; i++)
        {
            if (_filled == 0)
            {
                _windowStart = mediaTimestamp + (i * 3L);
            }

            _window[_filled++] = samples[i];
            if (_filled < _window.Length)
            {
                continue;
            }

            _filled = 0;
            var end = _windowStart + (_window.Length * 3L);
            _analysedUntil = end;
            if (IsSpeech(_window))
            {
                _speech.Enqueue((_windowStart, end));
            }
        }

        // Feature frames trail the analysed audio by the front-end's lookahead, far less than two seconds.
        while (_speech.Count > 0 && _speech.Peek().End + _hangover < _analysedUntil - (2 * MediaClock.SampleRate))
        {
            _speech.Dequeue();
        }
    }

    /// <summary>Whether the instant <paramref name="mediaTimestamp"/> counts as speech, given the audio analysed so far.</summary>
    public bool IsSpeechAt(long mediaTimestamp)
    {
        foreach (var (start, end) in _speech)
        {
            if (mediaTimestamp >= start - _preroll && mediaTimestamp < end + _hangover)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Forgets everything (barge-in).</summary>
    public void Reset()
    {
        _detector?.Reset();
        _speech.Clear();
        _filled = 0;
        _analysedUntil = long.MinValue;
    }

    private bool IsSpeech(float[] window)
    {
        if (_detector is not null)
        {
            return _detector.Process(window) >= _threshold;
        }

        var sum = 0.0;
        foreach (var s in window)
        {
            sum += s * s;
        }

        return Math.Sqrt(sum / window.Length) >= _energyThreshold;
    }
}
