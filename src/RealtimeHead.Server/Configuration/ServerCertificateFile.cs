using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace RealtimeHead.Server.Configuration;

/// <summary>
/// Loads the PFX (PKCS#12) file of <see cref="HttpOptions.CertificatePath"/> and says, in the operator's terms, why it
/// cannot serve TLS: missing file, wrong password (or not PKCS#12), no private key, or a key usage that forbids TLS
/// server authentication. Kestrel would otherwise fail inside its first handshake or with a bare CryptographicException.
/// </summary>
internal static class ServerCertificateFile
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>Loads the certificate; <paramref name="error"/> says what to fix when it returns null. Never throws for a bad file.</summary>
    public static X509Certificate2? TryLoad(string path, string? password, out string? error)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            error = $"Http:CertificatePath '{path}' does not exist; point it at a PFX (PKCS#12) file (certs/make-dev-cert.sh makes one for development, production mounts its own).";
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (CryptographicException exception)
        {
            error = $"Http:CertificatePath '{path}' could not be opened with Http:CertificatePassword ({exception.Message.TrimEnd('.')}): the password is wrong or the file is not a PFX (PKCS#12). " +
                "Set Http:CertificatePassword (RealtimeHead__Http__CertificatePassword), or convert PEM files with `openssl pkcs12 -export -inkey key.pem -in cert.pem -out server.pfx`.";
            return null;
        }
        catch (IOException exception)
        {
            error = $"Http:CertificatePath '{path}' could not be read ({exception.Message.TrimEnd('.')}); check its permissions.";
            return null;
        }
        catch (UnauthorizedAccessException exception)
        {
            error = $"Http:CertificatePath '{path}' could not be read ({exception.Message.TrimEnd('.')}); make it readable by the server's user.";
            return null;
        }

        error = Problem(path, certificate);
        if (error is null)
        {
            return certificate;
        }

        certificate.Dispose();
        return null;
    }

    /// <summary>Checks a loaded certificate: a TLS server needs its private key and, when key usages are listed, serverAuth.</summary>
    internal static string? Problem(string path, X509Certificate2 certificate)
    {
        if (!certificate.HasPrivateKey)
        {
            return $"Http:CertificatePath '{path}' holds a certificate without its private key; export the PFX with the key (`openssl pkcs12 -export -inkey key.pem -in cert.pem`).";
        }

        // RFC 5280 §4.2.1.12: when the extension is present, the certificate may only be used for the purposes listed.
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension usage && usage.EnhancedKeyUsages.Count > 0
                && !usage.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == ServerAuthenticationOid))
            {
                return $"Http:CertificatePath '{path}' is not valid for TLS servers (its extended key usage lacks serverAuth, {ServerAuthenticationOid}); issue a server certificate.";
            }
        }

        return null;
    }
}
