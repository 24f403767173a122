using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using RealtimeHead.WebRtc.Srtp;

namespace RealtimeHead.WebRtc.Dtls;

/// <summary>
/// The BouncyCastle <see cref="DefaultTlsServer"/> policy for WebRTC: DTLS 1.2 only, ECDHE-ECDSA
/// with AES-128-GCM, use_srtp with SRTP_AES128_CM_HMAC_SHA1_80, and a mandatory client certificate
/// whose fingerprint must match the remote SDP (RFC 8827 §6.5, RFC 8842 §5). It records why a
/// handshake failed so <see cref="DtlsServer"/> can report it precisely. One instance per handshake.
/// </summary>
internal sealed class DtlsSrtpTlsServer : DefaultTlsServer
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedRemote;

    public DtlsSrtpTlsServer(DtlsCertificate certificate, DtlsFingerprint expectedRemote)
    {
        _certificate = certificate;
        _expectedRemote = expectedRemote;
    }

    /// <summary>Set when this policy rejected the handshake.</summary>
    public DtlsHandshakeException? Rejection { get; private set; }

    /// <summary>The fatal alert the peer sent, if any.</summary>
    public byte? FatalAlertReceived { get; private set; }

    /// <summary>Whether the peer sent close_notify.</summary>
    public bool CloseNotifyReceived { get; private set; }

    /// <summary>Verified fingerprint of the client certificate.</summary>
    public DtlsFingerprint? RemoteFingerprint { get; private set; }

    /// <summary>60 bytes from the "EXTRACTOR-dtls_srtp" exporter (RFC 5764 §4.2), after the handshake.</summary>
    public byte[]? KeyingMaterial { get; private set; }

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    protected override int[] GetCipherSuites() => [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        // RFC 5764 §4.1.1: the server picks one profile the client offered; we only speak one.
        UseSrtpData? useSrtp = clientExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(clientExtensions);
        if (useSrtp is null || Array.IndexOf(useSrtp.ProtectionProfiles, SrtpProfile.DtlsProfileId) < 0)
        {
            throw Reject(DtlsHandshakeFailure.NoCommonSrtpProfile,
                "The DTLS client offered no use_srtp extension with SRTP_AES128_CM_HMAC_SHA1_80 (RFC 5764 §4.1.1).",
                AlertDescription.handshake_failure);
        }
    }

    public override IDictionary GetServerExtensions()
    {
        IDictionary extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([SrtpProfile.DtlsProfileId], TlsUtilities.EmptyBytes));
        return extensions;
    }

    /// <summary>Asks for the client certificate: WebRTC authenticates both ends by fingerprint (RFC 8827 §6.5).</summary>
    public override CertificateRequest GetCertificateRequest()
    {
        IList signatureAlgorithms = new ArrayList
        {
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.rsa),
        };
        return new CertificateRequest([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], signatureAlgorithms, null);
    }

    /// <summary>
    /// Binds the DTLS peer to the SDP: the end-entity certificate's digest must equal the
    /// a=fingerprint of the remote description (RFC 8122 §5). BouncyCastle then checks the
    /// CertificateVerify signature with that certificate's key, proving possession.
    /// </summary>
    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            throw Reject(DtlsHandshakeFailure.MissingClientCertificate,
                "The DTLS client sent no certificate; WebRTC requires one to match the SDP fingerprint (RFC 8827 §6.5).",
                AlertDescription.handshake_failure);
        }

        byte[] der = clientCertificate.GetCertificateAt(0).GetEncoded();
        var actual = DtlsFingerprint.Compute(_expectedRemote.Algorithm, der);
        if (!_expectedRemote.Matches(der))
        {
            throw Reject(DtlsHandshakeFailure.FingerprintMismatch,
                $"The DTLS client certificate has fingerprint '{actual}' but the remote SDP announced '{_expectedRemote}'.",
                AlertDescription.bad_certificate);
        }

        RemoteFingerprint = actual;
    }

    protected override TlsSignerCredentials GetECDsaSignerCredentials()
    {
        // TLS 1.2 (RFC 5246 §7.4.1.4.1): sign with a hash the client listed; SHA-256 is what P-256 pairs with.
        var choice = new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
        if (mSupportedSignatureAlgorithms is { } offered && !offered.Contains(choice))
        {
            choice = offered.Cast<SignatureAndHashAlgorithm>().FirstOrDefault(a => a.Signature == SignatureAlgorithm.ecdsa)
                ?? throw Reject(DtlsHandshakeFailure.ProtocolError, "The DTLS client accepts no ECDSA signature.", AlertDescription.handshake_failure);
        }

        return new DefaultTlsSignerCredentials(mContext, _certificate.TlsCertificate, _certificate.PrivateKey, choice);
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();

        // The master secret is still available here; DtlsServerProtocol clears it after Accept returns.
        KeyingMaterial = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.ExporterLength);
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        if (alertDescription == AlertDescription.close_notify)
        {
            CloseNotifyReceived = true;
        }
        else if (alertLevel == AlertLevel.fatal)
        {
            FatalAlertReceived = alertDescription;
        }
    }

    private TlsFatalAlert Reject(DtlsHandshakeFailure failure, string message, byte alert)
    {
        Rejection = new DtlsHandshakeException(failure, message);
        return new TlsFatalAlert(alert);
    }
}
