namespace RealtimeHead.Server.Bots;

/// <summary>
/// The body of <c>POST /api/sessions/{id}/speech</c>: text for espeak-ng and, optionally, its voice, rate (words per
/// minute) and pitch (0–100); missing ones take the <c>Bots:Default*</c> settings.
/// </summary>
public sealed record SpeechRequest(string? Text, string? Voice = null, int? Rate = null, int? Pitch = null)
{
    /// <summary>Slowest rate espeak-ng is asked for, words per minute.</summary>
    public const int MinRate = 80;

    /// <summary>Fastest rate espeak-ng is asked for, words per minute.</summary>
    public const int MaxRate = 450;

    /// <summary>
    /// Whether <paramref name="voice"/> can be an espeak-ng voice name (<c>en-us</c>, <c>en+f3</c>, <c>en-gb-x-rp</c>):
    /// 1–40 letters, digits, '-', '+' or '_', not starting with '-' (it is passed as a command-line argument).
    /// </summary>
    public static bool IsValidVoice(string? voice)
    {
        if (string.IsNullOrEmpty(voice) || voice.Length > 40 || voice[0] == '-')
        {
            return false;
        }

        foreach (var c in voice)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The answer (202) to a speech request: the utterance is synthesised and queued.</summary>
/// <param name="UtteranceId">Id of the utterance (in logs).</param>
/// <param name="SessionId">The session that will speak it.</param>
/// <param name="DurationMs">Length of the synthesised audio, in milliseconds.</param>
/// <param name="QueuedAheadMs">Pushed or spoken audio queued before it, in milliseconds (0 = it starts now).</param>
public sealed record SpeechAccepted(string UtteranceId, string SessionId, double DurationMs, double QueuedAheadMs);
