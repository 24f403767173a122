using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace RealtimeHead.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it in <c>a=fingerprint</c> (RFC 8122 §5):
/// a hash function name and upper-case hex octets joined by colons, e.g. <c>sha-256 AB:CD:...</c>.
/// WebRTC binds the DTLS certificate to the signalled SDP through it (RFC 8827 §6.5).
/// </summary>
internal sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    /// <summary>The hash WebRTC endpoints must support and RealtimeHead signals (RFC 8827 §6.5).</summary>
    public const string Sha256 = "sha-256";

    private readonly byte[] _value;

    private DtlsFingerprint(string algorithm, byte[] value)
    {
        Algorithm = algorithm;
        _value = value;
    }

    /// <summary>Lower-case hash function name from the RFC 8122 registry ("sha-1", "sha-256", ...).</summary>
    public string Algorithm { get; }

    /// <summary>The digest of the DER certificate.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>Digests <paramref name="derCertificate"/> with <paramref name="algorithm"/> ("sha-1", "sha-256", "sha-384", "sha-512").</summary>
    public static DtlsFingerprint Compute(string algorithm, ReadOnlySpan<byte> derCertificate)
    {
        string name = algorithm.ToLowerInvariant();
        if (DigestLength(name) == 0)
        {
            throw new ArgumentException($"Unsupported fingerprint hash '{algorithm}'; use sha-1, sha-256, sha-384 or sha-512.", nameof(algorithm));
        }

        return new DtlsFingerprint(name, Hash(name, derCertificate));
    }

    /// <summary>
    /// Parses the value of an SDP fingerprint attribute. Never throws: hostile SDP yields false.
    /// The hash name and hex digits are case-insensitive (RFC 8122 §5 ABNF, RFC 4572 §5).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 512)
        {
            return false;
        }

        string trimmed = text.Trim();
        int space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }

        string algorithm = trimmed[..space].ToLowerInvariant();
        int length = DigestLength(algorithm);
        string hex = trimmed[(space + 1)..].Trim();
        if (length == 0 || hex.Length != (3 * length) - 1)
        {
            return false;
        }

        var value = new byte[length];
        for (int i = 0; i < length; i++)
        {
            int at = 3 * i;
            if ((i > 0 && hex[at - 1] != ':') || !TryHex(hex[at], out int high) || !TryHex(hex[at + 1], out int low))
            {
                return false;
            }

            value[i] = (byte)((high << 4) | low);
        }

        fingerprint = new DtlsFingerprint(algorithm, value);
        return true;
    }

    /// <summary>Whether <paramref name="derCertificate"/> has this fingerprint (constant-time compare).</summary>
    public bool Matches(ReadOnlySpan<byte> derCertificate) =>
        CryptographicOperations.FixedTimeEquals(Hash(Algorithm, derCertificate), _value);

    /// <summary>The SDP form, e.g. <c>sha-256 AB:CD:...</c>, hex upper-case.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(Algorithm.Length + 1 + (3 * _value.Length));
        builder.Append(Algorithm).Append(' ');
        for (int i = 0; i < _value.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(':');
            }

            builder.Append(_value[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    public bool Equals(DtlsFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && _value.AsSpan().SequenceEqual(other._value);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode() => HashCode.Combine(Algorithm, _value.Length > 0 ? _value[0] : 0, _value.Length);

    private static int DigestLength(string algorithm) => algorithm switch
    {
        "sha-1" => 20,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => 0,
    };

    private static byte[] Hash(string algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        "sha-1" => SHA1.HashData(data),
        "sha-256" => SHA256.HashData(data),
        "sha-384" => SHA384.HashData(data),
        _ => SHA512.HashData(data),
    };

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
