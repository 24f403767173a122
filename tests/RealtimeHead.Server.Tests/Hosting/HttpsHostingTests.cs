using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Tests.Hosting;

/// <summary>
/// HTTPS from a PFX file on real Kestrel sockets: a client that trusts exactly the server's certificate gets /healthz
/// over TLS; a bad file, password or certificate stops the start with the validator's message naming the fix.
/// </summary>
public sealed class HttpsHostingTests : IDisposable
{
    private readonly TestCertificates _certificates = new();

    public void Dispose() => _certificates.Dispose();

    [Fact]
    public async Task Healthz_HttpsWithPfx_ClientTrustingExactlyThatCertificateGets200()
    {
        using var certificate = TestCertificates.CreateServerCertificate();
        var path = _certificates.WritePfx(certificate, "server.pfx");
        await using var server = await KestrelServer.StartAsync(s => UseHttps(s, path, TestCertificates.Password));
        var address = Assert.Single(server.Addresses);
        using var client = ClientTrusting(certificate);

        using var response = await client.GetAsync(new Uri(address, "/healthz"));

        Assert.Equal("https", address.Scheme);
        Assert.NotEqual(0, address.Port);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_HttpsWithPfx_ClientWithOnlyTheSystemTrustStoreIsRefused()
    {
        using var certificate = TestCertificates.CreateServerCertificate();
        var path = _certificates.WritePfx(certificate, "server.pfx");
        await using var server = await KestrelServer.StartAsync(s => UseHttps(s, path, TestCertificates.Password));
        using var client = new HttpClient();

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri(server.Addresses[0], "/healthz")));

        // The server really speaks TLS with the self-signed certificate: a default client rejects it in the handshake.
        Assert.IsType<AuthenticationException>(failure.InnerException);
    }

    [Fact]
    public async Task Start_CertificateFileMissing_FailsNamingTheKeyAndTheScript()
    {
        var missing = Path.Combine(_certificates.Directory, "absent.pfx");

        var failure = await StartFailureAsync(s => UseHttps(s, missing, TestCertificates.Password));

        var message = Assert.Single(failure.Failures);
        Assert.Contains($"Http:CertificatePath '{missing}' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("certs/make-dev-cert.sh", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WrongPassword_FailsSayingThePasswordIsWrong()
    {
        using var certificate = TestCertificates.CreateServerCertificate();
        var path = _certificates.WritePfx(certificate, "server.pfx");

        var failure = await StartFailureAsync(s => UseHttps(s, path, "not-the-password"));

        var message = Assert.Single(failure.Failures);
        Assert.Contains("could not be opened with Http:CertificatePassword", message, StringComparison.Ordinal);
        Assert.Contains("the password is wrong", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_NotAPfx_FailsSayingItIsNotPkcs12()
    {
        var path = Path.Combine(_certificates.Directory, "cert.pem");
        using (var certificate = TestCertificates.CreateServerCertificate())
        {
            await File.WriteAllTextAsync(path, certificate.ExportCertificatePem());
        }

        var failure = await StartFailureAsync(s => UseHttps(s, path, TestCertificates.Password));

        Assert.Contains("not a PFX (PKCS#12)", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PfxWithoutPrivateKey_FailsSayingTheKeyIsMissing()
    {
        using var withKey = TestCertificates.CreateServerCertificate();
        using var publicOnly = X509CertificateLoader.LoadCertificate(withKey.RawData);
        var path = _certificates.WritePfx(publicOnly, "public-only.pfx");

        var failure = await StartFailureAsync(s => UseHttps(s, path, TestCertificates.Password));

        Assert.Contains("holds a certificate without its private key", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ClientAuthenticationCertificate_ReportsMissingServerAuth()
    {
        using var clientOnly = TestCertificates.CreateServerCertificate(extendedKeyUsageOid: "1.3.6.1.5.5.7.3.2");
        var path = _certificates.WritePfx(clientOnly, "client.pfx");
        var options = new RealtimeHeadOptions
        {
            Http = new HttpOptions { Urls = ["https://127.0.0.1:0"], CertificatePath = path, CertificatePassword = TestCertificates.Password },
        };

        var result = new RealtimeHeadOptionsValidator().Validate(null, options);

        var http = Assert.Single(result.Failures!, f => f.Contains("Http:", StringComparison.Ordinal));
        Assert.Contains("lacks serverAuth", http, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ServerCertificateWithoutExtendedKeyUsage_IsAccepted()
    {
        using var certificate = TestCertificates.CreateServerCertificate(extendedKeyUsageOid: null);
        var path = _certificates.WritePfx(certificate, "any-use.pfx");
        var options = new RealtimeHeadOptions
        {
            Http = new HttpOptions { Urls = ["https://127.0.0.1:0"], CertificatePath = path, CertificatePassword = TestCertificates.Password },
            Auth = new AuthOptions { Mode = AuthMode.Development },
            Model = new ModelOptions { VadModelPath = null },
        };

        var result = new RealtimeHeadOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public async Task MakeDevCertScript_ServerUsesItsPfx_ClientTrustingDevCrtGetsHealthzOverTls()
    {
        var script = Path.Combine(RepositoryRoot(), "certs", "make-dev-cert.sh");
        var output = Path.Combine(_certificates.Directory, "dev");
        const string ScriptPassword = "script-test-password";

        var (exitCode, text) = await RunAsync(script, ["10.11.12.13", "devbox.test"], new()
        {
            ["RH_CERT_DIR"] = output,
            ["RH_CERT_PASSWORD"] = ScriptPassword,
            ["RH_CERT_DAYS"] = "30",
        });

        Assert.True(exitCode == 0, text);
        using var devCrt = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(output, "dev.crt"));
        Assert.False(devCrt.HasPrivateKey);
        using (var key = devCrt.GetECDsaPublicKey())
        {
            Assert.Equal(256, key?.KeySize);
        }

        Assert.InRange((devCrt.NotAfter - devCrt.NotBefore).TotalDays, 29.9, 30.1);
        var names = devCrt.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(new[] { "localhost", "devbox.test" }, names.EnumerateDnsNames());
        Assert.Equal(new[] { IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("10.11.12.13") }, names.EnumerateIPAddresses());
        if (!OperatingSystem.IsWindows())
        {
            // The private key stays readable by its owner only.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(output, "dev.pfx")));
        }

        await using var server = await KestrelServer.StartAsync(s => UseHttps(s, Path.Combine(output, "dev.pfx"), ScriptPassword));
        using var client = ClientTrusting(devCrt);
        using var response = await client.GetAsync(new Uri(server.Addresses[0], "/healthz"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task MakeDevCertScript_BadSanArgument_FailsWithoutWritingFiles()
    {
        var script = Path.Combine(RepositoryRoot(), "certs", "make-dev-cert.sh");
        var output = Path.Combine(_certificates.Directory, "bad");

        var (exitCode, text) = await RunAsync(script, ["not a host!"], new() { ["RH_CERT_DIR"] = output });

        Assert.Equal(1, exitCode);
        Assert.Contains("neither an IP address nor a host name", text, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "dev.pfx")));
    }

    internal static void UseHttps(Dictionary<string, string?> settings, string path, string? password)
    {
        settings["RealtimeHead:Http:Urls:0"] = "https://127.0.0.1:0";
        settings["RealtimeHead:Http:CertificatePath"] = path;
        settings["RealtimeHead:Http:CertificatePassword"] = password;
    }

    /// <summary>An HttpClient whose only trust anchor is <paramref name="certificate"/> (chain and host name still checked).</summary>
    internal static HttpClient ClientTrusting(X509Certificate2 certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        handler.SslOptions.CertificateChainPolicy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(certificate.RawData));
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RealtimeHead.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RealtimeHead.sln not found above " + AppContext.BaseDirectory);
    }

    private static Task<OptionsValidationException> StartFailureAsync(Action<Dictionary<string, string?>> configure) =>
        // The validator runs before Kestrel binds (mapping the hub already reads the options): its message, not a
        // CryptographicException from the bind.
        Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var server = await KestrelServer.StartAsync(configure);
        });

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
