using System.Diagnostics;
using System.Diagnostics.Metrics;
using RealtimeHead.Media;
using RealtimeHead.Server.Observability;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// Instruments of pushed and spoken voices, on the server's meter (<see cref="ServerMetrics.MeterName"/>, so
/// <c>/metrics</c> and OTLP carry them with the rest): refusals by code, push streams, back-pressure, utterances, and
/// what the pacer played, ignored or discarded.
/// </summary>
internal sealed class BotMetrics
{
    private readonly Counter<long> _refused;
    private readonly Counter<long> _streams;
    private readonly Counter<long> _backpressure;
    private readonly Counter<long> _utterances;
    private readonly Histogram<double> _synthesis;
    private readonly Counter<double> _played;
    private readonly Counter<long> _micIgnored;
    private readonly Counter<long> _underruns;
    private readonly Counter<double> _discarded;

    public BotMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ServerMetrics.MeterName);
        _refused = meter.CreateCounter<long>("realtimehead.server.bots.refused", "{request}",
            "Bot requests and push messages refused, by error code (bad_format, unknown_session, odd_length, undecodable_opus ...).");
        _streams = meter.CreateCounter<long>("realtimehead.server.bots.push.streams", "{stream}", "Push WebSockets accepted, by format.");
        _backpressure = meter.CreateCounter<long>("realtimehead.server.bots.push.backpressure", "{wait}",
            "Pushed blocks that waited for room: the bot was a whole buffer ahead of real time.");
        _utterances = meter.CreateCounter<long>("realtimehead.server.bots.speech.utterances", "{utterance}", "Utterances synthesised and queued.");
        _synthesis = meter.CreateHistogram<double>("realtimehead.server.bots.speech.synthesis", "ms", "Time to synthesise one utterance with espeak-ng.");
        _played = meter.CreateCounter<double>("realtimehead.server.bots.voice.played", "s", "Pushed or spoken audio fed to the pipeline, by source.");
        _micIgnored = meter.CreateCounter<long>("realtimehead.server.bots.voice.mic_ignored", "{frame}",
            "Microphone frames ignored because a pushed or spoken voice had the session.");
        _underruns = meter.CreateCounter<long>("realtimehead.server.bots.voice.underruns", "{underrun}",
            "Times an open push stream ran dry while playing (the bot pushed slower than real time).");
        _discarded = meter.CreateCounter<double>("realtimehead.server.bots.voice.discarded", "s",
            "Audio dropped unplayed, by reason (barge_in, session_ended; pipeline_behind: the pipeline did not read the voice source in time).");
    }

    public void Refused(string code) => _refused.Add(1, new TagList { { "reason", code } });

    public void StreamOpened(string format) => _streams.Add(1, new TagList { { "format", format } });

    public void BackpressureWait() => _backpressure.Add(1);

    public void UtteranceQueued(TimeSpan synthesis)
    {
        _utterances.Add(1);
        _synthesis.Record(synthesis.TotalMilliseconds);
    }

    public void Played(VoiceSourceKind source, int samples) =>
        _played.Add(samples / (double)MediaClock.SampleRate, new TagList { { "source", VoiceSourceNames.Of(source) } });

    public void MicIgnored() => _micIgnored.Add(1);

    public void Underrun() => _underruns.Add(1);

    public void Discarded(string reason, int samples)
    {
        if (samples > 0)
        {
            _discarded.Add(samples / (double)MediaClock.SampleRate, new TagList { { "reason", reason } });
        }
    }
}

/// <summary>The wire names of <see cref="VoiceSourceKind"/>.</summary>
internal static class VoiceSourceNames
{
    public static string Of(VoiceSourceKind kind) => kind switch
    {
        VoiceSourceKind.Push => "push",
        VoiceSourceKind.Speech => "speech",
        _ => "microphone",
    };
}
