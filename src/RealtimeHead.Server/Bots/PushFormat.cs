using System.Globalization;
using RealtimeHead.Media;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// What a push WebSocket carries, from its query string: <c>format=pcm16&amp;rate=16000|24000|48000&amp;channels=1|2</c>
/// (little-endian 16-bit samples, interleaved) or <c>format=opus</c> (one Opus packet per message, 48 kHz; the decoder
/// mixes stereo packets down). Checked before the upgrade, so a wrong query gets a 400 problem, not a socket.
/// </summary>
internal sealed record PushFormat(string Name, int SampleRate, int Channels)
{
    public const string Pcm16 = "pcm16";
    public const string Opus = "opus";

    /// <summary>Sample rates accepted for PCM.</summary>
    public static IReadOnlyList<int> PcmRates { get; } = [16_000, 24_000, MediaClock.SampleRate];

    public bool IsOpus => Name == Opus;

    /// <summary>Parses the query values; on failure returns false with a <see cref="BotErrorCode"/> and what to send instead.</summary>
    public static bool TryParse(string? format, string? rate, string? channels, out PushFormat? result, out string code, out string message)
    {
        result = null;
        code = string.Empty;
        message = string.Empty;
        if (format is not (Pcm16 or Opus))
        {
            code = BotErrorCode.BadFormat;
            message = $"format must be '{Pcm16}' or '{Opus}' (was '{Truncate(format)}').";
            return false;
        }

        var channelCount = 1;
        if (channels is not null && (!int.TryParse(channels, NumberStyles.None, CultureInfo.InvariantCulture, out channelCount) || channelCount is not (1 or 2)))
        {
            code = BotErrorCode.BadChannels;
            message = $"channels must be 1 or 2 (was '{Truncate(channels)}').";
            return false;
        }

        int sampleRate;
        if (format == Opus)
        {
            // Opus always decodes at 48 kHz here (RFC 7587 §4.1: the RTP clock is 48 kHz whatever the coded bandwidth).
            if (rate is not null && rate != "48000")
            {
                code = BotErrorCode.BadRate;
                message = $"Opus is decoded at 48000 Hz; leave rate out or set 48000 (was '{Truncate(rate)}').";
                return false;
            }

            sampleRate = MediaClock.SampleRate;
        }
        else if (rate is null || !int.TryParse(rate, NumberStyles.None, CultureInfo.InvariantCulture, out sampleRate) || !PcmRates.Contains(sampleRate))
        {
            code = BotErrorCode.BadRate;
            message = $"pcm16 needs rate=16000, 24000 or 48000 (was '{Truncate(rate)}').";
            return false;
        }

        result = new PushFormat(format, sampleRate, channelCount);
        return true;
    }

    private static string Truncate(string? value) => value is null ? "(none)" : value.Length <= 32 ? value : value[..32] + "...";
}
