namespace RealtimeHead.WebRtc.Tests.Rtp;

internal static class TestBytes
{
    /// <summary>Hex with optional spaces to bytes, so vectors read like the RFC diagrams.</summary>
    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
