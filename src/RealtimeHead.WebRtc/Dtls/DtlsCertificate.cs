using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace RealtimeHead.WebRtc.Dtls;

/// <summary>
/// The self-signed ECDSA P-256 certificate a WebRTC endpoint presents in DTLS; its identity is
/// the SHA-256 fingerprint signalled in SDP, not a CA chain (RFC 8827 §6.5, RFC 8122 §5).
/// One per server process is enough; it is immutable and safe to share between sessions.
/// </summary>
internal sealed class DtlsCertificate
{
    /// <summary>Validity when none is given: 30 days, as browsers use for RTCCertificate.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(30);

    private readonly byte[] _der;

    private DtlsCertificate(byte[] der, ECPrivateKeyParameters privateKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        _der = der;
        PrivateKey = privateKey;
        NotBefore = notBefore;
        NotAfter = notAfter;
        Fingerprint = DtlsFingerprint.Compute(DtlsFingerprint.Sha256, der);
        TlsCertificate = new TlsCertificate([X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der))]);
    }

    /// <summary>The DER encoding of the certificate.</summary>
    public ReadOnlySpan<byte> DerEncoded => _der;

    /// <summary>SHA-256 fingerprint for the local SDP (<c>a=fingerprint:sha-256 AB:CD:...</c>).</summary>
    public DtlsFingerprint Fingerprint { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset NotAfter { get; }

    /// <summary>The certificate as BouncyCastle's TLS stack sends it.</summary>
    internal TlsCertificate TlsCertificate { get; }

    /// <summary>The P-256 signing key, in BouncyCastle form.</summary>
    internal ECPrivateKeyParameters PrivateKey { get; }

    /// <summary>
    /// Makes a fresh key pair and self-signed certificate with a random 128-bit serial, valid from a
    /// day before now (tolerating peer clock skew) for <paramref name="validity"/>.
    /// </summary>
    public static DtlsCertificate Generate(TimeProvider timeProvider, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeSpan lifetime = validity ?? DefaultValidity;
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(365))
        {
            throw new ArgumentOutOfRangeException(nameof(validity), lifetime, "Certificate validity must be within (0, 365 days].");
        }

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        // A random common name, as browsers do, so certificates carry no identifying text.
        string commonName = "RealtimeHead-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);

        // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets.
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);

        DateTimeOffset now = timeProvider.GetUtcNow();
        DateTimeOffset notBefore = TruncateToSeconds(now - TimeSpan.FromDays(1));
        DateTimeOffset notAfter = TruncateToSeconds(now + lifetime);
        using X509Certificate2 certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(key), notBefore, notAfter, serial);

        ECParameters parameters = key.ExportParameters(includePrivateParameters: true);
        var privateKey = new ECPrivateKeyParameters("EC", new Org.BouncyCastle.Math.BigInteger(1, parameters.D), SecObjectIdentifiers.SecP256r1);
        CryptographicOperations.ZeroMemory(parameters.D);
        return new DtlsCertificate(certificate.RawData, privateKey, notBefore, notAfter);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), time.Offset);
}
