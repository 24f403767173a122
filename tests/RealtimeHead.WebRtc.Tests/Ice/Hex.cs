namespace RealtimeHead.WebRtc.Tests.Ice;

internal static class Hex
{
    /// <summary>Parses RFC-style hex dumps ("00 01 00 58 ...", any whitespace).</summary>
    public static byte[] Parse(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));
}
