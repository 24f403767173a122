using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealtimeHead.Pipeline.Diagnostics;

/// <summary>
/// The pipeline's instruments on one <see cref="Meter"/> named <see cref="MeterName"/>: per-stage latency
/// histograms per session, frames by kind (fps is their rate), drops by reason, batch sizes, render time, queue depths,
/// first-frame time, lip offset, outgoing voice delay, mouth-to-wire latency and the degradation level.
/// One instance per process (or per <see cref="IMeterFactory"/>), shared by the scheduler and every session.
/// </summary>
public sealed class PipelineMetrics : IDisposable
{
    /// <summary>Name of the meter, for listeners and exporters.</summary>
    public const string MeterName = "RealtimeHead.Pipeline";

    private readonly Meter _meter;
    private readonly Histogram<double> _stageDuration;
    private readonly Counter<long> _frames;
    private readonly Counter<long> _audioFrames;
    private readonly Counter<long> _drops;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _renderDuration;
    private readonly Counter<long> _deadlineMisses;
    private readonly Histogram<double> _firstFrame;
    private readonly Histogram<double> _lipOffset;
    private readonly Histogram<double> _mouthToWire;
    private readonly Counter<long> _admissionRefusals;
    private readonly ConcurrentDictionary<object, Func<IEnumerable<Measurement<int>>>> _queueDepthSources = new();
    private readonly ConcurrentDictionary<object, Func<IEnumerable<Measurement<double>>>> _delaySources = new();
    private readonly ConcurrentDictionary<object, Func<int>> _levelSources = new();

    internal Meter Meter => _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a new meter.</summary>
    public PipelineMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _stageDuration = _meter.CreateHistogram<double>("realtimehead.pipeline.stage.duration", "ms",
            "Time an item spent in one stage, per session.");
        _frames = _meter.CreateCounter<long>("realtimehead.pipeline.video.frames", "{frame}",
            "Video frames sent, by kind (audio, idle, repeated); the rate is the session's fps.");
        _audioFrames = _meter.CreateCounter<long>("realtimehead.pipeline.audio.frames", "{frame}", "Audio frames sent.");
        _drops = _meter.CreateCounter<long>("realtimehead.pipeline.drops", "{item}", "Items dropped, by stage and reason.");
        _batchSize = _meter.CreateHistogram<int>("realtimehead.pipeline.batch.size", "{frame}", "Frames per render batch.");
        _renderDuration = _meter.CreateHistogram<double>("realtimehead.pipeline.render.duration", "ms",
            "Duration of one batch render call, by quality.");
        _deadlineMisses = _meter.CreateCounter<long>("realtimehead.pipeline.render.deadline_misses", "{batch}",
            "Batches whose render took longer than the budget.");
        _firstFrame = _meter.CreateHistogram<double>("realtimehead.pipeline.first_frame.time", "ms",
            "From a session's start to its first video frame on the wire.");
        _lipOffset = _meter.CreateHistogram<double>("realtimehead.pipeline.lip_offset", "ms",
            "Video send time minus the send time of the same media instant of audio; positive = lips behind the voice.");
        _mouthToWire = _meter.CreateHistogram<double>("realtimehead.pipeline.mouth_to_wire", "ms",
            "From the arrival of an instant of voice to its video frame on the wire.");
        _admissionRefusals = _meter.CreateCounter<long>("realtimehead.pipeline.admission.refusals", "{session}",
            "Sessions refused by admission control, by reason.");
        _meter.CreateObservableGauge("realtimehead.pipeline.queue.depth", () => Collect(_queueDepthSources), "{item}",
            "Items waiting in each stage queue, per session.");
        _meter.CreateObservableGauge("realtimehead.pipeline.av_delay", () => Collect(_delaySources), "ms",
            "Delay applied to the outgoing voice to match the video path, per session.");
        _meter.CreateObservableGauge("realtimehead.pipeline.degradation.level",
            () => _levelSources.Values.Select(f => new Measurement<int>(f())), "{rung}",
            "Rung of the degradation ladder: 0 full, 1 no super-resolution, 2 low resolution, 3 repeat last frame.");
    }

    internal static KeyValuePair<string, object?> SessionTag(string sessionId) => new("session.id", sessionId);

    internal void RecordStage(string sessionId, PipelineStage stage, TimeSpan duration) =>
        _stageDuration.Record(duration.TotalMilliseconds, SessionTag(sessionId), new("stage", StageName(stage)));

    internal void RecordFrame(string sessionId, FrameKind kind) =>
        _frames.Add(1, SessionTag(sessionId), new("kind", KindName(kind)));

    internal void RecordAudioFrame(string sessionId) => _audioFrames.Add(1, SessionTag(sessionId));

    internal void RecordDrop(string sessionId, PipelineStage stage, DropReason reason) =>
        _drops.Add(1, SessionTag(sessionId), new("stage", StageName(stage)), new("reason", ReasonName(reason)));

    internal void RecordBatch(int size, string quality, TimeSpan duration, bool missedDeadline)
    {
        _batchSize.Record(size);
        _renderDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("quality", quality));
        if (missedDeadline)
        {
            _deadlineMisses.Add(1);
        }
    }

    internal void RecordFirstFrame(string sessionId, TimeSpan elapsed) =>
        _firstFrame.Record(elapsed.TotalMilliseconds, SessionTag(sessionId));

    internal void RecordLipOffset(string sessionId, double milliseconds) =>
        _lipOffset.Record(milliseconds, SessionTag(sessionId));

    internal void RecordMouthToWire(string sessionId, TimeSpan latency) =>
        _mouthToWire.Record(latency.TotalMilliseconds, SessionTag(sessionId));

    internal void RecordAdmissionRefusal(string reason) =>
        _admissionRefusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    internal IDisposable RegisterQueueDepths(Func<IEnumerable<Measurement<int>>> source) => Register(_queueDepthSources, source);

    internal IDisposable RegisterAvDelay(Func<IEnumerable<Measurement<double>>> source) => Register(_delaySources, source);

    internal IDisposable RegisterDegradationLevel(Func<int> source) => Register(_levelSources, source);

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<T>> Collect<T>(ConcurrentDictionary<object, Func<IEnumerable<Measurement<T>>>> sources)
        where T : struct => sources.Values.SelectMany(f => f()).ToArray();

    private static IDisposable Register<T>(ConcurrentDictionary<object, T> sources, T source)
    {
        var key = new object();
        sources[key] = source;
        return new Registration(() => sources.TryRemove(key, out _));
    }

    internal static string StageName(PipelineStage stage) => stage switch
    {
        PipelineStage.Inbound => "inbound",
        PipelineStage.Resample => "resample",
        PipelineStage.Features => "features",
        PipelineStage.Window => "window",
        PipelineStage.RenderQueue => "render_queue",
        PipelineStage.Render => "render",
        PipelineStage.Convert => "convert",
        PipelineStage.Send => "send",
        PipelineStage.AudioOut => "audio_out",
        _ => stage.ToString(),
    };

    private static string KindName(FrameKind kind) => kind switch
    {
        FrameKind.Audio => "audio",
        FrameKind.Idle => "idle",
        FrameKind.Repeated => "repeated",
        _ => kind.ToString(),
    };

    internal static string ReasonName(DropReason reason) => reason switch
    {
        DropReason.QueueFull => "queue_full",
        DropReason.Stale => "stale",
        DropReason.Flushed => "flushed",
        DropReason.RenderOverrun => "render_overrun",
        DropReason.Degraded => "degraded",
        DropReason.OutputFull => "output_full",
        DropReason.NothingToRepeat => "nothing_to_repeat",
        DropReason.Starved => "starved",
        DropReason.RenderFailed => "render_failed",
        DropReason.SendFailed => "send_failed",
        DropReason.UnsupportedFormat => "unsupported_format",
        _ => reason.ToString(),
    };

    private sealed class Registration(Action remove) : IDisposable
    {
        private Action? _remove = remove;

        public void Dispose() => Interlocked.Exchange(ref _remove, null)?.Invoke();
    }
}
