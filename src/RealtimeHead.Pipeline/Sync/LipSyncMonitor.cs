namespace RealtimeHead.Pipeline.Sync;

/// <summary>
/// Measures the lip offset of one session: the send time of a video frame minus the send time of the audio sample at
/// the frame's media timestamp (interpolated inside its audio frame). Positive means the lips trail the voice.
/// Whichever of the two goes out second completes the measurement; frames with no audio at their instant (idle) are
/// never measured. Both histories are bounded.
/// </summary>
internal sealed class LipSyncMonitor
{
    private const int AudioHistory = 256;
    private const int VideoHistory = 32;
    private readonly Lock _gate = new();
    private readonly Queue<(long Start, long End, long SentAt)> _audio = new();
    private readonly List<(long MediaTimestamp, long SentAt)> _pendingVideo = [];
    private readonly long _frequency;

    public LipSyncMonitor(TimeProvider time) => _frequency = time.TimestampFrequency;

    /// <summary>Records sent audio <c>[start, end)</c>; returns the offsets it completes, ms.</summary>
    public IReadOnlyList<double> OnAudioSent(long start, long end, long sentAt)
    {
        lock (_gate)
        {
            _audio.Enqueue((start, end, sentAt));
            while (_audio.Count > AudioHistory)
            {
                _audio.Dequeue();
            }

            List<double>? offsets = null;
            for (var i = _pendingVideo.Count - 1; i >= 0; i--)
            {
                var (ts, videoSent) = _pendingVideo[i];
                if (ts >= start && ts < end)
                {
                    (offsets ??= []).Add(Offset(videoSent, sentAt, ts - start));
                    _pendingVideo.RemoveAt(i);
                }
                else if (ts < start)
                {
                    _pendingVideo.RemoveAt(i); // its audio never came (idle or dropped): nothing to compare.
                }
            }

            return offsets ?? (IReadOnlyList<double>)[];
        }
    }

    /// <summary>Records a sent video frame; returns its offset in ms when its audio already went out.</summary>
    public double? OnVideoSent(long mediaTimestamp, long sentAt)
    {
        lock (_gate)
        {
            foreach (var (start, end, audioSent) in _audio)
            {
                if (mediaTimestamp >= start && mediaTimestamp < end)
                {
                    return Offset(sentAt, audioSent, mediaTimestamp - start);
                }
            }

            var newest = _audio.Count > 0 ? _audio.Last().End : long.MinValue;
            if (mediaTimestamp >= newest)
            {
                _pendingVideo.Add((mediaTimestamp, sentAt));
                if (_pendingVideo.Count > VideoHistory)
                {
                    _pendingVideo.RemoveAt(0);
                }
            }

            return null;
        }
    }

    /// <summary>Forgets both histories (barge-in).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _audio.Clear();
            _pendingVideo.Clear();
        }
    }

    private double Offset(long videoSent, long audioSent, long samplesIntoAudio) =>
        ((videoSent - audioSent) * 1000.0 / _frequency) - (samplesIntoAudio * 1000.0 / Media.MediaClock.SampleRate);
}
