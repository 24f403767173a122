namespace RealtimeHead.Server.Bots;

/// <summary>
/// Stable codes of refused bot requests: the <c>code</c> of an RFC 9457 problem (HTTP), the <c>code</c> of an error
/// message or the close reason (push WebSocket), or the word before the colon of a hub refusal (<c>Speak</c>).
/// </summary>
public static class BotErrorCode
{
    /// <summary>400: the request is not a WebSocket upgrade.</summary>
    public const string NotWebSocket = "not_websocket";

    /// <summary>400: <c>format</c> is missing or not <c>pcm16</c> / <c>opus</c>.</summary>
    public const string BadFormat = "bad_format";

    /// <summary>400: <c>rate</c> is not one the format allows (pcm16: 16000, 24000, 48000; opus: 48000).</summary>
    public const string BadRate = "bad_rate";

    /// <summary>400: <c>channels</c> is not 1 or 2.</summary>
    public const string BadChannels = "bad_channels";

    /// <summary>403: the caller is not the session's user.</summary>
    public const string NotSessionOwner = "not_session_owner";

    /// <summary>404: no active session has this id.</summary>
    public const string UnknownSession = "unknown_session";

    /// <summary>409: the session has joined but has no media yet (its client has not sent an offer), or it is ending.</summary>
    public const string SessionNotReady = "session_not_ready";

    /// <summary>409: another push WebSocket feeds the session (or, for speech, one is open).</summary>
    public const string VoiceBusy = "voice_busy";

    /// <summary>409: the session already has <c>Bots:MaxQueuedUtterances</c> utterances queued.</summary>
    public const string SpeechQueueFull = "speech_queue_full";

    /// <summary>400: the speech request's JSON is malformed, or its text is empty.</summary>
    public const string BadSpeech = "bad_speech";

    /// <summary>413 / 400: the text is longer than <c>Bots:MaxSpeechTextLength</c>, or its audio longer than <c>Bots:MaxUtteranceDuration</c>.</summary>
    public const string SpeechTooLong = "speech_too_long";

    /// <summary>400: espeak-ng has no such voice, or rate/pitch are out of range.</summary>
    public const string BadVoice = "bad_voice";

    /// <summary>503: espeak-ng could not be run, failed or timed out.</summary>
    public const string SpeechUnavailable = "speech_unavailable";

    /// <summary>Push message: a PCM block whose length is not a whole number of samples × channels (or is empty).</summary>
    public const string OddLength = "odd_length";

    /// <summary>Push message: an Opus packet libopus cannot decode.</summary>
    public const string UndecodableOpus = "undecodable_opus";

    /// <summary>Push message: a text message (audio is sent as binary messages).</summary>
    public const string NotBinary = "not_binary";

    /// <summary>Push close (1009): a message larger than <c>Bots:MaxMessageBytes</c>.</summary>
    public const string MessageTooLarge = "message_too_large";
}
