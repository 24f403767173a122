using System.Diagnostics;
using System.Diagnostics.Metrics;
using RealtimeHead.Server.Sessions;
using RealtimeHead.WebRtc.Peer;

namespace RealtimeHead.Server.Observability;

/// <summary>
/// The server's own instruments on the meter <see cref="MeterName"/> (the pipeline has its own): sessions, offers,
/// uploads, and the shared WebRTC port's counters read at collection time.
/// </summary>
internal sealed class ServerMetrics
{
    public const string MeterName = "RealtimeHead.Server";

    private readonly Counter<long> _joined;
    private readonly Counter<long> _refused;
    private readonly Counter<long> _closed;
    private readonly Histogram<double> _sessionDuration;
    private readonly Histogram<double> _offerDuration;
    private readonly Counter<long> _uploads;

    private readonly WebRtcEndpointHost _endpoint;

    public ServerMetrics(IMeterFactory meterFactory, WebRtcEndpointHost endpoint)
    {
        _endpoint = endpoint;
        var meter = meterFactory.Create(MeterName);
        _joined = meter.CreateCounter<long>("realtimehead.server.sessions.joined", "{session}", "Sessions joined.");
        _refused = meter.CreateCounter<long>("realtimehead.server.sessions.refused", "{session}", "Hub calls refused, by reason code.");
        _closed = meter.CreateCounter<long>("realtimehead.server.sessions.closed", "{session}", "Sessions closed, by reason.");
        _sessionDuration = meter.CreateHistogram<double>("realtimehead.server.session.duration", "s", "Time from join to teardown.");
        _offerDuration = meter.CreateHistogram<double>("realtimehead.server.offer.duration", "ms", "Time to answer an offer (WebRTC session and pipeline start).");
        _uploads = meter.CreateCounter<long>("realtimehead.server.avatar.uploads", "{upload}", "Avatar uploads, by result.");
        meter.CreateObservableGauge("realtimehead.server.sessions.active", () => ActiveSessions?.Invoke() ?? 0, "{session}", "Sessions open now.");
        meter.CreateObservableGauge("realtimehead.webrtc.sessions", () => _endpoint.IsBound ? _endpoint.Endpoint.SessionCount : 0, "{session}",
            "WebRTC peer sessions open on the shared port.");
        meter.CreateObservableCounter("realtimehead.webrtc.datagrams", ObserveDatagrams, "{datagram}", "Datagrams on the shared UDP port, by direction.");
        meter.CreateObservableCounter("realtimehead.webrtc.errors", ObserveErrors, "{datagram}",
            "Datagrams the shared port could not use or send, by kind.");
    }

    private IEnumerable<Measurement<long>> ObserveDatagrams()
    {
        if (Counters() is not { } counters)
        {
            return [];
        }

        return
        [
            new(counters.DatagramsReceived, new KeyValuePair<string, object?>("direction", "in")),
            new(counters.DatagramsSent, new KeyValuePair<string, object?>("direction", "out")),
        ];
    }

    private IEnumerable<Measurement<long>> ObserveErrors()
    {
        if (Counters() is not { } counters)
        {
            return [];
        }

        return
        [
            new(counters.SendErrors, new KeyValuePair<string, object?>("kind", "send_error")),
            new(counters.Malformed, new KeyValuePair<string, object?>("kind", "malformed")),
            new(counters.UnknownUfrag, new KeyValuePair<string, object?>("kind", "unknown_ufrag")),
            new(counters.UnknownEndPoint, new KeyValuePair<string, object?>("kind", "unknown_endpoint")),
            new(counters.HandlerFaults, new KeyValuePair<string, object?>("kind", "handler_fault")),
            new(counters.OffersRejected, new KeyValuePair<string, object?>("kind", "offer_rejected")),
        ];
    }

    private WebRtcEndpointCounters? Counters() => _endpoint.IsBound ? _endpoint.Endpoint.GetCounters() : null;

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
