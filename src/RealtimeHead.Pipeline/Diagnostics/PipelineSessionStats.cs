namespace RealtimeHead.Pipeline.Diagnostics;

/// <summary>
/// Counters of one pipeline session, readable at any time (the metrics carry the same figures with tags).
/// Written by the stages with interlocked operations.
/// </summary>
public sealed class PipelineSessionStats
{
    private readonly long[] _drops = new long[Enum.GetValues<DropReason>().Length];
    private readonly long[] _frames = new long[Enum.GetValues<FrameKind>().Length];
    private long _audioFramesSent;
    private long _lateFrames;
    private long _lipOffsetMicros;
    private long _maxAbsLipOffsetMicros;
    private long _lipOffsetSamples;
    private long _avDelayMicros;
    private long _firstFrameMicros = -1;

    /// <summary>Video frames sent, all kinds.</summary>
    public long VideoFramesSent
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _frames.Length; i++)
            {
                sum += Interlocked.Read(ref _frames[i]);
            }

            return sum;
        }
    }

    /// <summary>Audio frames sent.</summary>
    public long AudioFramesSent => Interlocked.Read(ref _audioFramesSent);

    /// <summary>Audio-timed video frames sent after their playout time (their lips trail the voice).</summary>
    public long LateFrames => Interlocked.Read(ref _lateFrames);

    /// <summary>Latest lip offset (video send time minus the send time of the same instant of audio), ms; positive = lips behind.</summary>
    public double LastLipOffsetMs => Interlocked.Read(ref _lipOffsetMicros) / 1000.0;

    /// <summary>Largest absolute lip offset measured, ms.</summary>
    public double MaxAbsLipOffsetMs => Interlocked.Read(ref _maxAbsLipOffsetMicros) / 1000.0;

    /// <summary>How many lip offsets were measured.</summary>
    public long LipOffsetSamples => Interlocked.Read(ref _lipOffsetSamples);

    /// <summary>Current delay of the outgoing voice (the measured video-path latency it matches), ms.</summary>
    public double AvDelayMs => Interlocked.Read(ref _avDelayMicros) / 1000.0;

    /// <summary>Time from the session start to its first video frame on the wire, ms; null until then.</summary>
    public double? FirstFrameMs => Interlocked.Read(ref _firstFrameMicros) is var v && v >= 0 ? v / 1000.0 : null;

    /// <summary>Video frames sent of one kind.</summary>
    public long Frames(FrameKind kind) => Interlocked.Read(ref _frames[(int)kind]);

    /// <summary>Items dropped for one reason.</summary>
    public long Drops(DropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    internal void AddDrop(DropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    internal void AddFrame(FrameKind kind) => Interlocked.Increment(ref _frames[(int)kind]);

    internal void AddAudioFrame() => Interlocked.Increment(ref _audioFramesSent);

    internal void AddLate() => Interlocked.Increment(ref _lateFrames);

    internal void SetAvDelay(TimeSpan delay) => Interlocked.Exchange(ref _avDelayMicros, (long)(delay.TotalMilliseconds * 1000));

    internal bool TrySetFirstFrame(TimeSpan elapsed) =>
        Interlocked.CompareExchange(ref _firstFrameMicros, (long)(elapsed.TotalMilliseconds * 1000), -1) == -1;

    internal void AddLipOffset(double milliseconds)
    {
        var micros = (long)Math.Round(milliseconds * 1000);
        Interlocked.Exchange(ref _lipOffsetMicros, micros);
        Interlocked.Increment(ref _lipOffsetSamples);
        var abs = Math.Abs(micros);
        long seen;
        while (abs > (seen = Interlocked.Read(ref _maxAbsLipOffsetMicros)) &&
               Interlocked.CompareExchange(ref _maxAbsLipOffsetMicros, abs, seen) != seen)
        {
        }
    }
}
