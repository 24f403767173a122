using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RealtimeHead.Server.Observability;

/// <summary>The server's own instruments on the meter <see cref="MeterName"/> (the pipeline has its own).</summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "RealtimeHead.Server";

    private readonly Counter<long> _joined;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _closed;
    private readonly Histogram<double> _sessionDuration;
    private readonly Histogram<double> _offerDuration;
    private readonly Counter<long> _uploads;

    public ServerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _joined = meter.CreateCounter<long>("realtimehead.server.sessions.joined", "{session}", "Sessions joined.");
        _refused = meter.CreateCounter<long>("realtimehead.server.sessions.refused", "{session}", "Hub calls refused, by reason code.");
        _closed = meter.CreateCounter<long>("realtimehead.server.sessions.closed", "{session}", "Sessions closed, by reason.");
        _sessionDuration = meter.CreateHistogram<double>("realtimehead.server.session.duration", "s", "Time from join to teardown.");
        _offerDuration = meter.CreateHistogram<double>("realtimehead.server.offer.duration", "ms", "Time to answer an offer (WebRTC session and pipeline start).");
        _uploads = meter.CreateCounter<long>("realtimehead.server.avatar.uploads", "{upload}", "Avatar uploads, by result.");
        meter.CreateObservableGauge("realtimehead.server.sessions.active", () => ActiveSessions?.Invoke() ?? 0, "{session}", "Sessions open now.");
    }

    /// <summary>Reads the open session count at collection time.</summary>
    public Func<int>? ActiveSessions { get; set; }

    public void Joined() => _joined.Add(1);

    public void Refused(string code) => _refused.Add(1, new TagList { { "reason", code } });

    public void Closed(string reason, TimeSpan duration)
    {
        _closed.Add(1, new TagList { { "reason", reason } });
        _sessionDuration.Record(duration.TotalSeconds);
    }

    public void OfferAnswered(TimeSpan elapsed) => _offerDuration.Record(elapsed.TotalMilliseconds);

    public void Upload(string result) => _uploads.Add(1, new TagList { { "result", result } });
}
