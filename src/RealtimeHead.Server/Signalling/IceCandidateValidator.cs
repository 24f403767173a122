using System.Globalization;

namespace RealtimeHead.Server.Signalling;

/// <summary>Checks a trickled candidate's grammar (RFC 8839 §5.1) without acting on it.</summary>
internal static class IceCandidateValidator
{
    private const int MaxLength = 1024;

    /// <summary>
    /// Whether <paramref name="message"/> is an end-of-candidates marker (empty candidate) or a candidate line
    /// <c>candidate:foundation component transport priority address port typ type ...</c>.
    /// </summary>
    public static bool IsValid(IceCandidateMessage? message, out string problem)
    {
        problem = string.Empty;
        if (message is null)
        {
            problem = "The candidate message is missing.";
            return false;
        }

        var text = message.Candidate;
        if (string.IsNullOrEmpty(text))
        {
            return true; // end of candidates
        }

        if (text.Length > MaxLength)
        {
            problem = $"The candidate is longer than {MaxLength} characters.";
            return false;
        }

        if (text.StartsWith("a=", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 8 || !fields[0].StartsWith("candidate:", StringComparison.Ordinal) || fields[0].Length == "candidate:".Length)
        {
            problem = "The candidate must read 'candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>'.";
            return false;
        }

        if (!int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var component) || component is < 1 or > 256
            || !uint.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || !int.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535
            || fields[6] != "typ" || fields[7] is not ("host" or "srflx" or "prflx" or "relay"))
        {
            problem = "The candidate has a bad component, priority, port or type.";
            return false;
        }

        if (message.SdpMLineIndex is < 0)
        {
            problem = "sdpMLineIndex must not be negative.";
            return false;
        }

        return true;
    }
}
