using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Server.Signalling;

/// <summary>
/// The latest mouth-to-wire latencies of each session (the pipeline's <c>realtimehead.pipeline.mouth_to_wire</c>
/// histogram, tagged <c>session.id</c>), read with a <see cref="MeterListener"/> on this application's meters only, so
/// the Stats message can say p50/p95 over the last <see cref="Capacity"/> frames (a few seconds), not since the start.
/// </summary>
internal sealed class MouthToWireWindow : IDisposable
{
    /// <summary>Latencies kept per session (about 2.5 s of frames at 25 fps).</summary>
    public const int Capacity = 64;

    private const string InstrumentName = "realtimehead.pipeline.mouth_to_wire";
    private const string SessionTag = "session.id";

    private readonly ConcurrentDictionary<string, Ring> _sessions = new(StringComparer.Ordinal);
    private readonly MeterListener _listener;

    public MouthToWireWindow(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // Other hosts in the process (tests) have their own factory and sessions.
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory)
                    && instrument.Meter.Name == PipelineMetrics.MeterName
                    && instrument.Name == InstrumentName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == SessionTag && tag.Value is string sessionId)
                {
                    Record(sessionId, value);
                    return;
                }
            }
        });
        _listener.Start();
    }

    /// <summary>Adds one latency of a session, in ms.</summary>
    public void Record(string sessionId, double milliseconds) => _sessions.GetOrAdd(sessionId, _ => new Ring()).Add(milliseconds);

    /// <summary>The median and 95th percentile of the session's latest latencies (nearest rank), or nulls when none was measured.</summary>
    public (double? P50, double? P95) Percentiles(string sessionId)
    {
        if (!_sessions.TryGetValue(sessionId, out var ring))
        {
            return (null, null);
        }

        var values = ring.ToArray();
        if (values.Length == 0)
        {
            return (null, null);
        }

        Array.Sort(values);
        return (NearestRank(values, 0.50), NearestRank(values, 0.95));
    }

    /// <summary>Forgets sessions not in <paramref name="live"/> (ended ones).</summary>
    public void Retain(IReadOnlySet<string> live)
    {
        foreach (var sessionId in _sessions.Keys)
        {
            if (!live.Contains(sessionId))
            {
                _sessions.TryRemove(sessionId, out _);
            }
        }
    }

    public void Dispose() => _listener.Dispose();

    // Nearest-rank percentile: the smallest value with at least p of the values at or below it.
    private static double NearestRank(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed class Ring
    {
        private readonly double[] _values = new double[Capacity];
        private readonly Lock _gate = new();
        private int _next;
        private int _count;

        public void Add(double value)
        {
            lock (_gate)
            {
                _values[_next] = value;
                _next = (_next + 1) % Capacity;
                _count = Math.Min(_count + 1, Capacity);
            }
        }

        public double[] ToArray()
        {
            lock (_gate)
            {
                return _values.AsSpan(0, _count).ToArray();
            }
        }
    }
}
