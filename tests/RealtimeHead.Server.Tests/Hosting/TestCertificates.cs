using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RealtimeHead.Server.Tests.Hosting;

/// <summary>Self-signed certificates the HTTPS tests make for themselves, written as PFX files to a temporary directory.</summary>
internal sealed class TestCertificates : IDisposable
{
    public const string Password = "test-pfx-password";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("rh-https-tests-").FullName;

    /// <summary>An ECDSA P-256 server certificate for localhost/127.0.0.1 (what certs/make-dev-cert.sh makes), with its key.</summary>
    public static X509Certificate2 CreateServerCertificate(string? extendedKeyUsageOid = "1.3.6.1.5.5.7.3.1")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=RealtimeHead test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        if (extendedKeyUsageOid is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsageOid)], false));
        }

        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));
    }

    /// <summary>Writes <paramref name="certificate"/> (with its key when it has one) as a PFX protected by <paramref name="password"/>.</summary>
    public string WritePfx(X509Certificate2 certificate, string name, string? password = Password)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
