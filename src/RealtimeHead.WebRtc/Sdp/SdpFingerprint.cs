using System.Globalization;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary>
/// <c>a=fingerprint:&lt;hash-func&gt; &lt;XX:XX:...&gt;</c> (RFC 8122 §5): the hash of the peer's DTLS certificate,
/// which the DTLS layer must compare with the certificate it receives.
/// </summary>
internal sealed record SdpFingerprint(string Algorithm, byte[] Value)
{
    /// <summary>Hash functions the DTLS layer can verify with .NET's hashing (md2/md5 are refused, RFC 8122 §5).</summary>
    public static readonly IReadOnlyList<string> SupportedAlgorithms = ["sha-256", "sha-384", "sha-512", "sha-1"];

    public bool IsSupported => ExpectedLength(Algorithm) is { } length && length == Value.Length;

    public string ToSdpValue() => $"{Algorithm} {string.Join(':', Value.Select(b => b.ToString("X2", CultureInfo.InvariantCulture)))}";

    public bool Equals(SdpFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && Value.AsSpan().SequenceEqual(other.Value);

    public override int GetHashCode() => HashCode.Combine(Algorithm, Value.Length);

    /// <summary>Byte length of a digest by its IANA hash name, or null when unknown/unsupported.</summary>
    public static int? ExpectedLength(string algorithm) => algorithm switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => null,
    };

    public static bool TryParse(string? value, out SdpFingerprint? fingerprint)
    {
        fingerprint = null;
        string[] parts = value?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (parts.Length != 2)
        {
            return false;
        }

        string[] hex = parts[1].Split(':');
        if (hex.Length is 0 or > 64)
        {
            return false;
        }

        var bytes = new byte[hex.Length];
        for (int i = 0; i < hex.Length; i++)
        {
            if (hex[i].Length != 2 || !byte.TryParse(hex[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        fingerprint = new SdpFingerprint(parts[0].ToLowerInvariant(), bytes);
        return true;
    }
}
