using System.Text;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary>
/// A session description (RFC 8866): the session-level lines (<c>v=</c>, <c>o=</c>, <c>s=</c>, <c>t=</c>,
/// attributes, and any unknown line, in order) and the media sections. <see cref="TryParse"/> never throws
/// on hostile text; <see cref="ToString"/> writes CRLF-terminated lines.
/// </summary>
internal sealed class SdpSessionDescription
{
    /// <summary>Offers above this size are refused before parsing; Chromium's are 5–10 KiB.</summary>
    public const int MaxLength = 256 * 1024;

    public List<SdpLine> Lines { get; } = [];

    public List<SdpMediaDescription> Media { get; } = [];

    public IEnumerable<SdpAttribute> Attributes => Lines.Where(l => l.Type == 'a').Select(l => SdpAttribute.Parse(l.Value));

    /// <summary>First value of the named session-level attribute; "" for a flag; null when absent.</summary>
    public string? GetAttribute(string name) => FirstAttribute(Lines, name);

    public IEnumerable<string> GetAttributeValues(string name) => AttributeValues(Lines, name);

    public SdpSessionDescription AddLine(char type, string value)
    {
        Lines.Add(new SdpLine(type, value));
        return this;
    }

    public SdpSessionDescription AddAttribute(string name, string? value = null)
    {
        Lines.Add(new SdpAttribute(name, value).ToLine());
        return this;
    }

    /// <summary>The mids of each <c>a=group:BUNDLE</c> line (RFC 9143 §7.1).</summary>
    public IReadOnlyList<IReadOnlyList<string>> BundleGroups =>
        GetAttributeValues("group")
            .Select(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length > 0 && parts[0].Equals("BUNDLE", StringComparison.OrdinalIgnoreCase))
            .Select(parts => (IReadOnlyList<string>)parts[1..])
            .ToList();

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var line in Lines)
        {
            text.Append(line.Type).Append('=').Append(line.Value).Append("\r\n");
        }

        foreach (var media in Media)
        {
            text.Append("m=").Append(media.MediaLineValue).Append("\r\n");
            foreach (var line in media.Lines)
            {
                text.Append(line.Type).Append('=').Append(line.Value).Append("\r\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Parses SDP text (CRLF or LF line ends). Returns false with the line and reason on malformed text.</summary>
    public static bool TryParse(string? text, out SdpSessionDescription? description, out SdpParseError? error)
    {
        description = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new SdpParseError(0, "the description is empty");
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = new SdpParseError(0, $"the description is {text.Length} characters, above the {MaxLength} limit");
            return false;
        }

        var result = new SdpSessionDescription();
        SdpMediaDescription? current = null;
        bool sawVersion = false;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            int lineNumber = i + 1;
            string line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (line.Length == 0)
            {
                // Blank lines are not SDP but some producers end with one; tolerate them.
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z')
            {
                error = new SdpParseError(lineNumber, $"expected '<letter>=<value>' but found '{Excerpt(line)}'");
                return false;
            }

            if (line.AsSpan(2).IndexOfAny('\0', '\r') >= 0)
            {
                error = new SdpParseError(lineNumber, "the line contains a NUL or stray CR character");
                return false;
            }

            char type = line[0];
            string value = line[2..];
            if (!sawVersion)
            {
                if (type != 'v' || value != "0")
                {
                    error = new SdpParseError(lineNumber, $"an SDP description starts with 'v=0' but found '{Excerpt(line)}'");
                    return false;
                }

                sawVersion = true;
            }

            if (type == 'm')
            {
                if (!SdpMediaDescription.TryParseMediaLine(value, out current))
                {
                    error = new SdpParseError(lineNumber, $"malformed media line '{Excerpt(line)}'; expected 'm=<media> <port> <proto> <fmt> ...'");
                    return false;
                }

                result.Media.Add(current!);
                continue;
            }

            if (current is null)
            {
                result.Lines.Add(new SdpLine(type, value));
            }
            else
            {
                current.Lines.Add(new SdpLine(type, value));
            }
        }

        description = result;
        error = null;
        return true;
    }

    internal static string? FirstAttribute(List<SdpLine> lines, string name)
    {
        foreach (var line in lines)
        {
            if (line.Type == 'a' && IsAttribute(line.Value, name))
            {
                return line.Value.Length == name.Length ? string.Empty : line.Value[(name.Length + 1)..];
            }
        }

        return null;
    }

    internal static IEnumerable<string> AttributeValues(List<SdpLine> lines, string name)
    {
        foreach (var line in lines)
        {
            if (line.Type == 'a' && IsAttribute(line.Value, name))
            {
                yield return line.Value.Length == name.Length ? string.Empty : line.Value[(name.Length + 1)..];
            }
        }
    }

    private static bool IsAttribute(string lineValue, string name) =>
        lineValue.StartsWith(name, StringComparison.Ordinal) && (lineValue.Length == name.Length || lineValue[name.Length] == ':');

    private static string Excerpt(string line)
    {
        var clean = new string(line.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return line.Length > 40 ? clean + "…" : clean;
    }
}
