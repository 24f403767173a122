using System.Security.Cryptography;
using RealtimeHead.WebRtc.Dtls;

namespace RealtimeHead.WebRtc.Tests.Dtls;

public sealed class DtlsFingerprintTests
{
    [Fact]
    public void Compute_Sha256_FormatsUpperCaseColonHex()
    {
        byte[] der = [1, 2, 3];
        byte[] digest = SHA256.HashData(der);

        var fingerprint = DtlsFingerprint.Compute("SHA-256", der);

        Assert.Equal("sha-256", fingerprint.Algorithm);
        Assert.Equal("sha-256 " + string.Join(':', digest.Select(b => b.ToString("X2"))), fingerprint.ToString());
        Assert.Matches("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", fingerprint.ToString());
        Assert.True(fingerprint.Matches(der));
        Assert.False(fingerprint.Matches([1, 2, 4]));
    }

    [Theory]
    [InlineData("sha-1", 20)]
    [InlineData("sha-256", 32)]
    [InlineData("sha-384", 48)]
    [InlineData("sha-512", 64)]
    public void TryParse_FormattedFingerprint_RoundTripsAnyCase(string algorithm, int length)
    {
        var original = DtlsFingerprint.Compute(algorithm, [9, 8, 7]);

        Assert.True(DtlsFingerprint.TryParse(original.ToString(), out DtlsFingerprint? upper));
        Assert.True(DtlsFingerprint.TryParse("  " + original.ToString().ToUpperInvariant() + " ", out DtlsFingerprint? shouted));
        Assert.True(DtlsFingerprint.TryParse(original.ToString().ToLowerInvariant(), out DtlsFingerprint? lower));
        Assert.Equal(original, upper);
        Assert.Equal(original, shouted);
        Assert.Equal(original, lower);
        Assert.Equal(length, upper.Value.Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("sha-256")]
    [InlineData(" AB:CD")]
    [InlineData("md5 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89")]
    [InlineData("sha-1 AB:CD")]
    [InlineData("sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:0G")]
    [InlineData("sha-1 AB-CD-EF-01-23-45-67-89-AB-CD-EF-01-23-45-67-89-AB-CD-EF-01")]
    [InlineData("sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:")]
    public void TryParse_Malformed_ReturnsFalse(string? text)
    {
        Assert.False(DtlsFingerprint.TryParse(text, out DtlsFingerprint? fingerprint));
        Assert.Null(fingerprint);
    }

    [Fact]
    public void TryParse_RandomText_NeverThrows()
    {
        var random = new Random(31);
        const string Alphabet = "sha-1256:ABCDEFabcdef0123456789 xyz\t";
        int parsed = 0;
        for (int i = 0; i < 5000; i++)
        {
            char[] text = new char[random.Next(0, 120)];
            for (int j = 0; j < text.Length; j++)
            {
                text[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            parsed += DtlsFingerprint.TryParse(new string(text), out _) ? 1 : 0;
        }

        Assert.Equal(0, parsed);
    }

    [Fact]
    public void Compute_UnknownHash_Throws()
    {
        Assert.Throws<ArgumentException>(() => DtlsFingerprint.Compute("md5", [1]));
    }
}
