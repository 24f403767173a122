using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Media;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// Speech into a session (<c>POST /api/sessions/{id}/speech</c> and the hub's <c>Speak</c>): checks the request against
/// <see cref="BotOptions"/>, synthesises it, and queues it on the session's <see cref="VoiceSourcePeer"/>. Refusals are
/// <see cref="SessionRequestException"/>s with a <see cref="BotErrorCode"/>, counted.
/// </summary>
internal sealed partial class SpeechService
{
    private readonly ISpeechSynthesizer _synthesizer;
    private readonly BotOptions _options;
    private readonly BotMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SpeechService> _logger;

    public SpeechService(ISpeechSynthesizer synthesizer, IOptions<RealtimeHeadOptions> options, BotMetrics metrics, TimeProvider time,
        ILogger<SpeechService> logger)
    {
        _synthesizer = synthesizer;
        _options = options.Value.Bots;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Synthesises <paramref name="request"/> and queues it on <paramref name="session"/>.</summary>
    public async Task<SpeechAccepted> SpeakAsync(LiveSession session, SpeechRequest? request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (request is null || string.IsNullOrWhiteSpace(request.Text))
        {
            throw Refuse(BotErrorCode.BadSpeech, "Give the text to speak: { \"text\": \"...\" }.");
        }

        if (request.Text.Length > _options.MaxSpeechTextLength)
        {
            throw Refuse(BotErrorCode.SpeechTooLong,
                $"The text is {request.Text.Length} characters; the limit is {_options.MaxSpeechTextLength} (Bots:MaxSpeechTextLength). Split it.");
        }

        var voiceName = request.Voice ?? _options.DefaultVoice;
        var rate = request.Rate ?? _options.DefaultRate;
        var pitch = request.Pitch ?? _options.DefaultPitch;
        if (!SpeechRequest.IsValidVoice(voiceName))
        {
            throw Refuse(BotErrorCode.BadVoice, "voice must be an espeak-ng voice name such as en-us or en+f3 (letters, digits, '-', '+', '_').");
        }

        if (rate is < SpeechRequest.MinRate or > SpeechRequest.MaxRate || pitch is < 0 or > 100)
        {
            throw Refuse(BotErrorCode.BadVoice, $"rate must be {SpeechRequest.MinRate}-{SpeechRequest.MaxRate} words per minute and pitch 0-100 (were {rate}, {pitch}).");
        }

        var voice = session.Voice ?? throw Refuse(BotErrorCode.SessionNotReady, "The session has no media yet: its client must send its offer first.");
        var started = _time.GetTimestamp();
        var result = await _synthesizer.SynthesizeAsync(request.Text, voiceName, rate, pitch, cancellationToken).ConfigureAwait(false);
        if (result.Samples is not { } samples)
        {
            throw Refuse(result.ErrorCode ?? BotErrorCode.SpeechUnavailable, result.Message ?? "Speech synthesis failed.");
        }

        var utterance = new SpeechUtterance("u" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)), samples);
        if (!voice.TryEnqueueSpeech(utterance, out var ahead, out var code))
        {
            throw Refuse(code!, code switch
            {
                BotErrorCode.VoiceBusy => "A push WebSocket feeds this session; speech can be queued once it closes.",
                BotErrorCode.SpeechQueueFull => $"{_options.MaxQueuedUtterances} utterances are already queued (Bots:MaxQueuedUtterances); wait for them to play.",
                _ => "The session is ending.",
            });
        }

        var elapsed = _time.GetElapsedTime(started);
        _metrics.UtteranceQueued(elapsed);
        var duration = MediaClock.ToTimeSpan(utterance.Length).TotalMilliseconds;
        Log.Queued(_logger, utterance.Id, session.SessionId, duration, elapsed.TotalMilliseconds);
        return new SpeechAccepted(utterance.Id, session.SessionId, duration, MediaClock.ToTimeSpan(ahead).TotalMilliseconds);
    }

    private SessionRequestException Refuse(string code, string message)
    {
        _metrics.Refused(code);
        return new SessionRequestException(code, message);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5201, Level = LogLevel.Information,
            Message = "Utterance {UtteranceId} queued on session {SessionId}: {DurationMs:F0} ms of speech, synthesised in {SynthesisMs:F0} ms")]
        public static partial void Queued(ILogger logger, string utteranceId, string sessionId, double durationMs, double synthesisMs);
    }
}
