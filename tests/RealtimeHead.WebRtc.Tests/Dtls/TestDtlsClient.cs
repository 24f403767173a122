using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using RealtimeHead.WebRtc.Dtls;
using RealtimeHead.WebRtc.Srtp;

namespace RealtimeHead.WebRtc.Tests.Dtls;

/// <summary>
/// The browser's side of the handshake for tests: BouncyCastle's <see cref="DtlsClientProtocol"/>
/// with a client certificate and use_srtp, as Chromium offers them for DTLS 1.2.
/// </summary>
internal sealed class TestDtlsClient : DefaultTlsClient
{
    private readonly DtlsCertificate _certificate;
    private readonly bool _offerSrtp;
    private readonly bool _sendCertificate;

    public TestDtlsClient(DtlsCertificate certificate, bool offerSrtp = true, bool sendCertificate = true)
    {
        _certificate = certificate;
        _offerSrtp = offerSrtp;
        _sendCertificate = sendCertificate;
    }

    public DtlsFingerprint? ServerFingerprint { get; private set; }

    public byte[]? KeyingMaterial { get; private set; }

    public byte? FatalAlertReceived { get; private set; }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => [CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];

    public override IDictionary GetClientExtensions()
    {
        IDictionary extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        if (_offerSrtp)
        {
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([SrtpProfile.DtlsProfileId, 0x0002], TlsUtilities.EmptyBytes));
        }

        return extensions;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        KeyingMaterial = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.ExporterLength);
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        if (alertLevel == AlertLevel.fatal)
        {
            FatalAlertReceived = alertDescription;
        }
    }

    /// <summary>Runs the blocking client handshake on a pool thread.</summary>
    public Task<DtlsTransport> ConnectAsync(DatagramTransport transport) =>
        Task.Run(() => new DtlsClientProtocol(new SecureRandom()).Connect(this, transport));

    private sealed class Authentication(TestDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(Certificate serverCertificate) =>
            client.ServerFingerprint = DtlsFingerprint.Compute(DtlsFingerprint.Sha256, serverCertificate.GetCertificateAt(0).GetEncoded());

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest) =>
            client._sendCertificate
                ? new DefaultTlsSignerCredentials(client.mContext, client._certificate.TlsCertificate, client._certificate.PrivateKey,
                    new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa))
                : null;
    }
}

/// <summary>An <see cref="IDatagramSender"/> that hands each datagram to a delegate (an in-memory link).</summary>
internal sealed class DelegateSender(Action<byte[]> deliver) : IDatagramSender
{
    public int Sent { get; private set; }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        Sent++;
        deliver(datagram.ToArray());
    }
}
