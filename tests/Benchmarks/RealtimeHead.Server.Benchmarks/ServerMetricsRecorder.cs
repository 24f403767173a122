using System.Diagnostics.Metrics;

namespace RealtimeHead.Server.Benchmarks;

/// <summary>
/// Reads the in-process server's meters (<c>RealtimeHead.Pipeline</c>, <c>RealtimeHead.Server</c>) with a
/// <see cref="MeterListener"/>, keeping raw values between <see cref="Reset"/> calls so percentiles are exact rather
/// than the /metrics buckets' interpolations.
/// </summary>
internal sealed class ServerMetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private Snapshot _current = new();
    private int _activeSessions = -1;

    public ServerMetricsRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is "RealtimeHead.Pipeline" or "RealtimeHead.Server")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.Start();
    }

    /// <summary>Starts a new measurement window and returns the one that ended.</summary>
    public Snapshot Reset()
    {
        lock (_gate)
        {
            var ended = _current;
            _current = new Snapshot();
            return ended;
        }
    }

    /// <summary>Reads the observable gauges (degradation level, active sessions) into the current window.</summary>
    public void SampleGauges() => _listener.RecordObservableInstruments();

    /// <summary>Sessions open on the server now (reads the gauges; the window keeps what they record).</summary>
    public int ActiveSessions()
    {
        SampleGauges();
        lock (_gate)
        {
            return _activeSessions;
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(string instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> all, string key)
        {
            foreach (var tag in all)
            {
                if (tag.Key == key)
                {
                    return tag.Value?.ToString();
                }
            }

            return null;
        }

        lock (_gate)
        {
            var s = _current;
            switch (instrument)
            {
                case "realtimehead.pipeline.stage.duration":
                    Add(s.Stages, Tag(tags, "stage") ?? "?", value);
                    break;
                case "realtimehead.pipeline.render.duration":
                    Add(s.RenderByQuality, Tag(tags, "quality") ?? "?", value);
                    break;
                case "realtimehead.pipeline.video.frames":
                    s.FramesByKind[Tag(tags, "kind") ?? "?"] = s.FramesByKind.GetValueOrDefault(Tag(tags, "kind") ?? "?") + (long)value;
                    break;
                case "realtimehead.pipeline.drops":
                    s.Drops += (long)value;
                    break;
                case "realtimehead.pipeline.render.deadline_misses":
                    s.DeadlineMisses += (long)value;
                    break;
                case "realtimehead.pipeline.first_frame.time":
                    s.FirstFrameMs.Add(value);
                    break;
                case "realtimehead.pipeline.mouth_to_wire":
                    s.MouthToWireMs.Add(value);
                    break;
                case "realtimehead.pipeline.lip_offset":
                    s.LipOffsetMs.Add(Math.Abs(value));
                    break;
                case "realtimehead.pipeline.degradation.level":
                    s.DegradationLevels.Add(value);
                    break;
                case "realtimehead.server.offer.duration":
                    s.OfferMs.Add(value);
                    break;
                case "realtimehead.server.sessions.active":
                    _activeSessions = (int)value;
                    break;
            }
        }
    }

    private static void Add(Dictionary<string, List<double>> lists, string key, double value)
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }

        list.Add(value);
    }

    /// <summary>What the server measured in one window.</summary>
    internal sealed class Snapshot
    {
        public Dictionary<string, List<double>> Stages { get; } = [];

        public Dictionary<string, List<double>> RenderByQuality { get; } = [];

        public Dictionary<string, long> FramesByKind { get; } = [];

        public List<double> FirstFrameMs { get; } = [];

        public List<double> MouthToWireMs { get; } = [];

        public List<double> LipOffsetMs { get; } = [];

        public List<double> DegradationLevels { get; } = [];

        public List<double> OfferMs { get; } = [];

        public long Drops { get; set; }

        public long DeadlineMisses { get; set; }
    }
}
