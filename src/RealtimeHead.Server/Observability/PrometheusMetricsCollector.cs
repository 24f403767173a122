using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace RealtimeHead.Server.Observability;

/// <summary>
/// Aggregates the measurements of this application's meters (those its <see cref="IMeterFactory"/> created whose name
/// starts with <c>RealtimeHead</c>) with a <see cref="MeterListener"/> and renders them in the Prometheus text
/// exposition format 0.0.4: counters as <c>_total</c>, up-down counters and gauges as gauges, histograms as cumulative
/// <c>_bucket{le}</c> series with <c>_sum</c> and <c>_count</c>. Observable instruments are read at each scrape.
/// </summary>
internal sealed class PrometheusMetricsCollector : IDisposable
{
    /// <summary>The exposition format's content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] MillisecondBuckets = [0.5, 1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000];
    private static readonly double[] SecondBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900, 1800, 3600];
    private static readonly double[] CountBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly MeterListener _listener;
    private readonly Lock _scrapeGate = new();

    public PrometheusMetricsCollector(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // Only this application's meters: other hosts in the process (tests) have their own factory.
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory)
                    && instrument.Meter.Name.StartsWith("RealtimeHead", StringComparison.Ordinal))
                {
                    var state = new InstrumentState(instrument);
                    _instruments[instrument] = state;
                    listener.EnableMeasurementEvents(instrument, state);
                }
            },
            MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentState? _),
        };
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => ((InstrumentState)s!).Record((double)v, t));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and renders every series.</summary>
    public string Render()
    {
        lock (_scrapeGate)
        {
            foreach (var state in _instruments.Values)
            {
                if (state.IsObservable)
                {
                    state.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                state.WriteTo(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The Prometheus metric name of an instrument (without the _total/_bucket suffixes).</summary>
    internal static string MetricName(string name, string? unit)
    {
        var builder = new StringBuilder(name.Length + 16);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or ':' ? c : '_');
        }

        if (builder.Length > 0 && char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        var suffix = unit switch
        {
            "ms" => "_milliseconds",
            "s" => "_seconds",
            "By" => "_bytes",
            "%" => "_percent",
            _ => string.Empty,
        };
        return builder.Append(suffix).ToString();
    }

    internal static string LabelName(string key)
    {
        var builder = new StringBuilder(key.Length);
        foreach (var c in key)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }

        if (builder.Length == 0 || char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }

    /// <summary>A label value with \, " and newlines escaped as the format requires.</summary>
    internal static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    internal static string FormatNumber(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var pairs = new List<(string Key, string Value)>(tags.Length);
        foreach (var tag in tags)
        {
            pairs.Add((LabelName(tag.Key), EscapeLabelValue(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)));
        }

        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(',', pairs.Select(p => $"{p.Key}=\"{p.Value}\""));
    }

    private enum Kind
    {
        Counter,
        Gauge,
        SumGauge,
        Histogram,
    }

    private sealed class InstrumentState
    {
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Lock _gate = new();
        private readonly Kind _kind;
        private readonly double[] _bounds;
        private readonly string _help;

        public InstrumentState(Instrument instrument)
        {
            var type = instrument.GetType();
            var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            IsObservable = instrument.IsObservable;
            _kind = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? Kind.Counter
                : generic == typeof(Histogram<>) ? Kind.Histogram
                : generic == typeof(UpDownCounter<>) ? Kind.SumGauge
                : Kind.Gauge; // Gauge<T>, ObservableGauge<T>, ObservableUpDownCounter<T>: last value
            Name = MetricName(instrument.Name, instrument.Unit);
            _help = (instrument.Description ?? instrument.Name).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
            _bounds = instrument.Unit switch
            {
                "ms" => MillisecondBuckets,
                "s" => SecondBuckets,
                _ => CountBuckets,
            };
        }

        public string Name { get; }

        public bool IsObservable { get; }

        public void Clear()
        {
            lock (_gate)
            {
                _series.Clear();
            }
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            lock (_gate)
            {
                if (!_series.TryGetValue(labels, out var series))
                {
                    series = new Series(_kind == Kind.Histogram ? new long[_bounds.Length] : null);
                    _series[labels] = series;
                }

                switch (_kind)
                {
                    case Kind.Counter when !IsObservable:
                    case Kind.SumGauge:
                        series.Value += value;
                        break;
                    case Kind.Histogram:
                        var index = Array.BinarySearch(_bounds, value);
                        index = index < 0 ? ~index : index; // le: the first bound >= value
                        if (index < _bounds.Length)
                        {
                            series.Buckets![index]++;
                        }

                        series.Value += value;
                        series.Count++;
                        break;
                    default:
                        series.Value = value;
                        break;
                }
            }
        }

        public void WriteTo(StringBuilder text)
        {
            lock (_gate)
            {
                if (_series.Count == 0)
                {
                    return;
                }

                var name = _kind == Kind.Counter ? Name + "_total" : Name;
                var type = _kind switch { Kind.Counter => "counter", Kind.Histogram => "histogram", _ => "gauge" };
                text.Append("# HELP ").Append(name).Append(' ').Append(_help).Append('\n');
                text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
                foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (_kind != Kind.Histogram)
                    {
                        AppendSample(text, name, labels, null, series.Value);
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i < _bounds.Length; i++)
                    {
                        cumulative += series.Buckets![i];
                        AppendSample(text, Name + "_bucket", labels, FormatNumber(_bounds[i]), cumulative);
                    }

                    AppendSample(text, Name + "_bucket", labels, "+Inf", series.Count);
                    AppendSample(text, Name + "_sum", labels, null, series.Value);
                    AppendSample(text, Name + "_count", labels, null, series.Count);
                }
            }
        }

        private static void AppendSample(StringBuilder text, string name, string labels, string? le, double value)
        {
            text.Append(name);
            if (labels.Length > 0 || le is not null)
            {
                text.Append('{').Append(labels);
                if (le is not null)
                {
                    text.Append(labels.Length > 0 ? "," : string.Empty).Append("le=\"").Append(le).Append('"');
                }

                text.Append('}');
            }

            text.Append(' ').Append(FormatNumber(value)).Append('\n');
        }
    }

    private sealed class Series(long[]? buckets)
    {
        public double Value { get; set; }

        public long Count { get; set; }

        public long[]? Buckets { get; } = buckets;
    }
}
