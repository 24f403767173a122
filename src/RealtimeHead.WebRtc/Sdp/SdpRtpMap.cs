using System.Globalization;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary><c>a=rtpmap:&lt;pt&gt; &lt;encoding&gt;/&lt;clock&gt;[/&lt;channels&gt;]</c> (RFC 8866 §6.6).</summary>
internal sealed record SdpRtpMap(byte PayloadType, string EncodingName, int ClockRate, int Channels = 1)
{
    public string ToSdpValue() => Channels == 1 && !EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase)
        ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}")
        : string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRate}/{Channels}");

    public bool Is(string encodingName, int clockRate) =>
        EncodingName.Equals(encodingName, StringComparison.OrdinalIgnoreCase) && ClockRate == clockRate;

    public static bool TryParse(string? value, out SdpRtpMap? rtpMap)
    {
        rtpMap = null;
        if (value is null)
        {
            return false;
        }

        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !TryParsePayloadType(value[..space], out byte pt))
        {
            return false;
        }

        string[] parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock) || clock == 0)
        {
            return false;
        }

        int channels = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels) || channels is < 1 or > 255))
        {
            return false;
        }

        rtpMap = new SdpRtpMap(pt, parts[0], clock, channels);
        return true;
    }

    /// <summary>RTP payload types are 0–127 (RFC 3550 §5.1).</summary>
    public static bool TryParsePayloadType(string text, out byte payloadType)
    {
        payloadType = 0;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 127)
        {
            return false;
        }

        payloadType = (byte)value;
        return true;
    }
}
