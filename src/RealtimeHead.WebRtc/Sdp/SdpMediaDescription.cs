using System.Globalization;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary>
/// One media section: the <c>m=</c> line (RFC 8866 §5.14) and every line after it, in order, unknown ones
/// included, so a parsed section writes back as it came.
/// </summary>
internal sealed class SdpMediaDescription
{
    public SdpMediaDescription(string media, int port, string protocol, IReadOnlyList<string> formats, int? portCount = null)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = formats;
        PortCount = portCount;
    }

    /// <summary><c>audio</c>, <c>video</c>, <c>application</c>, …</summary>
    public string Media { get; }

    /// <summary>Port; 0 means rejected (RFC 3264 §6) unless the section is <c>bundle-only</c> (RFC 9143 §6).</summary>
    public int Port { get; }

    public int? PortCount { get; }

    public string Protocol { get; }

    /// <summary>Payload types for RTP, or other format tokens (<c>webrtc-datachannel</c>).</summary>
    public IReadOnlyList<string> Formats { get; }

    /// <summary>The lines after <c>m=</c>, in order.</summary>
    public List<SdpLine> Lines { get; } = [];

    public IEnumerable<SdpAttribute> Attributes => Lines.Where(l => l.Type == 'a').Select(l => SdpAttribute.Parse(l.Value));

    public string? Mid => GetAttribute("mid");

    /// <summary>First value of the named attribute; "" for a flag; null when absent.</summary>
    public string? GetAttribute(string name) => SdpSessionDescription.FirstAttribute(Lines, name);

    public bool HasAttribute(string name) => GetAttribute(name) is not null;

    /// <summary>Values of every instance of the named attribute ("" for flags).</summary>
    public IEnumerable<string> GetAttributeValues(string name) => SdpSessionDescription.AttributeValues(Lines, name);

    public SdpMediaDescription AddAttribute(string name, string? value = null)
    {
        Lines.Add(new SdpAttribute(name, value).ToLine());
        return this;
    }

    public SdpMediaDescription AddLine(char type, string value)
    {
        Lines.Add(new SdpLine(type, value));
        return this;
    }

    public string MediaLineValue =>
        string.Create(CultureInfo.InvariantCulture, $"{Media} {Port}{(PortCount is { } count ? "/" + count.ToString(CultureInfo.InvariantCulture) : string.Empty)} {Protocol} {string.Join(' ', Formats)}");

    /// <summary>Parses the value of an <c>m=</c> line; false on anything malformed.</summary>
    public static bool TryParseMediaLine(string value, out SdpMediaDescription? media)
    {
        media = null;
        string[] parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            return false;
        }

        string[] portParts = parts[1].Split('/');
        if (portParts.Length > 2
            || !int.TryParse(portParts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return false;
        }

        int? count = null;
        if (portParts.Length == 2)
        {
            if (!int.TryParse(portParts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int parsedCount) || parsedCount < 1)
            {
                return false;
            }

            count = parsedCount;
        }

        media = new SdpMediaDescription(parts[0], port, parts[2], parts[3..], count);
        return true;
    }
}
