using RealtimeHead.Media;

namespace RealtimeHead.Pipeline.Sync;

/// <summary>
/// Maps a session's media clock (48 kHz samples) to <see cref="TimeProvider"/> timestamps and decides when each
/// instant goes out. Media position <c>T</c> was captured at <c>anchor + T/48 kHz</c>; the anchor starts at the
/// session start and only moves earlier, when audio arrives sooner than the mapping says (the peer's clock started
/// before ours). Both outgoing streams are paced to <c>playout(T) = capture(T) + delay</c>: the outgoing voice is the
/// incoming voice delayed by the measured video-path latency (lookahead + queueing + render + conversion), so a video
/// frame and the audio of the same instant leave together (PRODUCT.md "One media clock").
/// <para>
/// The delay follows the largest video-path latency of the last <c>window</c> frames plus a margin: it rises at once
/// (a late frame would break lip sync) and falls by at most <c>decayPerFrame</c> per frame, so the voice never jumps.
/// </para>
/// </summary>
internal sealed class PlayoutClock
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long[] _latencies;
    private readonly long _minDelay;
    private readonly long _maxDelay;
    private readonly long _margin;
    private readonly long _decayPerFrame;
    private long _anchor;
    private long _delay;
    private int _count;
    private int _next;

    public PlayoutClock(TimeProvider time, long startTimestamp, TimeSpan initialDelay, TimeSpan minDelay, TimeSpan maxDelay,
        TimeSpan margin, int window, TimeSpan decayPerFrame)
    {
        _time = time;
        _anchor = startTimestamp;
        _minDelay = ToTicks(minDelay);
        _maxDelay = ToTicks(maxDelay);
        _margin = ToTicks(margin);
        _decayPerFrame = ToTicks(decayPerFrame);
        _delay = Math.Clamp(ToTicks(initialDelay), _minDelay, _maxDelay);
        _latencies = new long[Math.Max(1, window)];
    }

    /// <summary>Current delay between capture and playout.</summary>
    public TimeSpan Delay
    {
        get
        {
            lock (_gate)
            {
                return FromTicks(_delay);
            }
        }
    }

    /// <summary>When media position <paramref name="mediaTimestamp"/> was (ideally) captured.</summary>
    public long CaptureTimestamp(long mediaTimestamp)
    {
        lock (_gate)
        {
            return _anchor + MediaToTicks(mediaTimestamp);
        }
    }

    /// <summary>When media position <paramref name="mediaTimestamp"/> goes out, on audio and video alike.</summary>
    public long PlayoutTimestamp(long mediaTimestamp)
    {
        lock (_gate)
        {
            return _anchor + MediaToTicks(mediaTimestamp) + _delay;
        }
    }

    /// <summary>The media position captured at <paramref name="timestamp"/>.</summary>
    public long MediaAt(long timestamp)
    {
        lock (_gate)
        {
            return (timestamp - _anchor) * MediaClock.SampleRate / _time.TimestampFrequency;
        }
    }

    /// <summary>
    /// Notes that the audio ending at <paramref name="mediaEnd"/> arrived at <paramref name="arrival"/>; audio earlier
    /// than the mapping moves the anchor back (it can only have been captured before it arrived).
    /// </summary>
    public void ObserveArrival(long mediaEnd, long arrival)
    {
        lock (_gate)
        {
            var expected = _anchor + MediaToTicks(mediaEnd);
            if (arrival < expected)
            {
                _anchor -= expected - arrival;
            }
        }
    }

    /// <summary>Feeds the measured latency from capture to a converted video frame of audio-timed content.</summary>
    public void ObserveVideoLatency(TimeSpan latency)
    {
        lock (_gate)
        {
            _latencies[_next] = ToTicks(latency);
            _next = (_next + 1) % _latencies.Length;
            _count = Math.Min(_count + 1, _latencies.Length);
            var worst = long.MinValue;
            for (var i = 0; i < _count; i++)
            {
                worst = Math.Max(worst, _latencies[i]);
            }

            var target = Math.Clamp(worst + _margin, _minDelay, _maxDelay);
            _delay = target >= _delay ? target : Math.Max(target, _delay - _decayPerFrame);
        }
    }

    private long MediaToTicks(long media) => media * _time.TimestampFrequency / MediaClock.SampleRate;

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan FromTicks(long ticks) => TimeSpan.FromSeconds((double)ticks / _time.TimestampFrequency);
}
