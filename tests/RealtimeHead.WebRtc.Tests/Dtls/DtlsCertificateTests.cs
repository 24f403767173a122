using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RealtimeHead.WebRtc.Dtls;

namespace RealtimeHead.WebRtc.Tests.Dtls;

public sealed class DtlsCertificateTests
{
    [Fact]
    public void Generate_Default_SelfSignedP256ValidThirtyDaysFromClock()
    {
        var clock = new FakeTimeProvider(seed: 9);
        DateTimeOffset now = clock.GetUtcNow();

        DtlsCertificate certificate = DtlsCertificate.Generate(clock);

        using var parsed = X509CertificateLoader.LoadCertificate(certificate.DerEncoded);
        using ECDsa? key = parsed.GetECDsaPublicKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal("1.2.840.10045.4.3.2", parsed.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.Equal(parsed.Subject, parsed.Issuer);
        Assert.Equal(now.AddDays(30).UtcDateTime, parsed.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.True(parsed.NotBefore.ToUniversalTime() < now.UtcDateTime);
        Assert.Equal(certificate.NotAfter.UtcDateTime, parsed.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void Generate_Fingerprint_IsSha256OfDer()
    {
        DtlsCertificate certificate = DtlsCertificate.Generate(new FakeTimeProvider());

        byte[] digest = SHA256.HashData(certificate.DerEncoded);

        Assert.Equal("sha-256 " + Convert.ToHexString(digest).Chunk(2).Select(c => new string(c)).Aggregate((a, b) => a + ":" + b),
            certificate.Fingerprint.ToString());
    }

    [Fact]
    public void Generate_TwoCertificates_DifferInSerialKeyAndFingerprint()
    {
        var clock = new FakeTimeProvider();
        DtlsCertificate first = DtlsCertificate.Generate(clock);
        DtlsCertificate second = DtlsCertificate.Generate(clock);

        using var a = X509CertificateLoader.LoadCertificate(first.DerEncoded);
        using var b = X509CertificateLoader.LoadCertificate(second.DerEncoded);
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.True(a.GetSerialNumber().Length >= 8);
        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(400)]
    public void Generate_ValidityOutOfRange_Throws(int days)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DtlsCertificate.Generate(new FakeTimeProvider(), TimeSpan.FromDays(days)));
    }
}
