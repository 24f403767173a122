using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Crypto.Tls;
using RealtimeHead.WebRtc.Dtls;
using RealtimeHead.WebRtc.Srtp;
using RealtimeHead.WebRtc.Tests.Srtp;

namespace RealtimeHead.WebRtc.Tests.Dtls;

public sealed class DtlsServerTests
{
    // Real-time guard against a hung test only; every timeout under test runs on the manual clock.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private static readonly FakeTimeProvider CertificateClock = new(seed: 3);
    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate(CertificateClock);
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate(CertificateClock);

    /// <summary>Server and client transport wired back to back in memory.</summary>
    private sealed class Link : IAsyncDisposable
    {
        public Link(DtlsServerOptions? options = null, Func<byte[], bool>? clientToServerFilter = null)
        {
            DtlsDatagramTransport? client = null;
            Time = new FakeTimeProvider(seed: 5);
            Server = new DtlsServer(ServerCertificate, new DelegateSender(d => client!.TryDeliver(d)),
                options ?? DtlsServerOptions.Default, Time, NullLogger<DtlsServer>.Instance);
            client = new DtlsDatagramTransport(new DelegateSender(d =>
            {
                if (clientToServerFilter?.Invoke(d) ?? true)
                {
                    Server.TryDeliver(d);
                }
            }), queueCapacity: 64, sendLimit: 1200);
            ClientTransport = client;
        }

        public FakeTimeProvider Time { get; }

        public DtlsServer Server { get; }

        public DtlsDatagramTransport ClientTransport { get; }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            ClientTransport.Abort();
        }
    }

    [Fact]
    public async Task HandshakeAsync_ValidClient_BothSidesDeriveSameSrtpKeys()
    {
        await using var link = new Link();
        var client = new TestDtlsClient(ClientCertificate);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);

        DtlsHandshakeResult result = await link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString()).WaitAsync(Guard);
        await connect.WaitAsync(Guard);

        var clientKeys = SrtpKeyingMaterial.FromDtlsExporter(client.KeyingMaterial!, isDtlsServer: false);
        Assert.Equal(clientKeys.Remote.Key.ToArray(), result.Keys.Local.Key.ToArray());
        Assert.Equal(clientKeys.Remote.Salt.ToArray(), result.Keys.Local.Salt.ToArray());
        Assert.Equal(clientKeys.Local.Key.ToArray(), result.Keys.Remote.Key.ToArray());
        Assert.Equal(clientKeys.Local.Salt.ToArray(), result.Keys.Remote.Salt.ToArray());
        Assert.NotEqual(result.Keys.Local.Key.ToArray(), result.Keys.Remote.Key.ToArray());
        Assert.Equal(ClientCertificate.Fingerprint, result.RemoteFingerprint);
        Assert.Equal(SrtpProfile.DtlsProfileId, result.SrtpProtectionProfile);
        Assert.Equal(ServerCertificate.Fingerprint, client.ServerFingerprint);
        Assert.False(link.Server.Closed.IsCompleted);

        // The keys work end to end: what the server protects, the client's SRTP reads.
        using var serverSrtp = new SrtpSession(result.Keys);
        using var clientSrtp = new SrtpSession(clientKeys);
        byte[] rtp = SrtpTestPackets.MakeRtp(1, 2, 100, new Random(1));
        byte[] buffer = SrtpTestPackets.WithRoom(rtp);
        Assert.Equal(SrtpStatus.Ok, serverSrtp.ProtectRtp(buffer, rtp.Length, out int length));
        Assert.Equal(SrtpStatus.Ok, clientSrtp.UnprotectRtp(buffer.AsSpan(0, length), out int plain));
        Assert.Equal(rtp, buffer[..plain]);
    }

    [Fact]
    public async Task HandshakeAsync_WrongExpectedFingerprint_FailsWithMismatchAndAlertsClient()
    {
        await using var link = new Link();
        var client = new TestDtlsClient(ClientCertificate);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);
        string other = DtlsCertificate.Generate(link.Time).Fingerprint.ToString();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => link.Server.HandshakeAsync(other).WaitAsync(Guard));

        Assert.Equal(DtlsHandshakeFailure.FingerprintMismatch, error.Failure);
        Assert.Contains(ClientCertificate.Fingerprint.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(other, error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => connect.WaitAsync(Guard));
        Assert.Equal(AlertDescription.bad_certificate, client.FatalAlertReceived);
        Assert.Equal(DtlsCloseReason.HandshakeFailed, await link.Server.Closed.WaitAsync(Guard));
    }

    [Fact]
    public async Task HandshakeAsync_ExpectedFingerprintInOtherHash_VerifiesWithThatHash()
    {
        await using var link = new Link();
        var client = new TestDtlsClient(ClientCertificate);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);
        var sha512 = DtlsFingerprint.Compute("sha-512", ClientCertificate.DerEncoded);

        DtlsHandshakeResult result = await link.Server.HandshakeAsync(sha512.ToString().ToLowerInvariant()).WaitAsync(Guard);
        await connect.WaitAsync(Guard);

        Assert.Equal(sha512, result.RemoteFingerprint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("md5 AB:CD")]
    [InlineData("sha-256 AB:CD:EF")]
    public async Task HandshakeAsync_UnparseableExpectedFingerprint_FailsBeforeHandshake(string expected)
    {
        await using var link = new Link();

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => link.Server.HandshakeAsync(expected));

        Assert.Equal(DtlsHandshakeFailure.InvalidExpectedFingerprint, error.Failure);
    }

    [Fact]
    public async Task HandshakeAsync_ClientWithoutUseSrtp_FailsNoCommonProfile()
    {
        await using var link = new Link();
        var client = new TestDtlsClient(ClientCertificate, offerSrtp: false);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString()).WaitAsync(Guard));

        Assert.Equal(DtlsHandshakeFailure.NoCommonSrtpProfile, error.Failure);

        // BouncyCastle sends no alert before it has answered a ClientHello, so the client would
        // only give up after its own retransmissions; end it here.
        link.ClientTransport.Abort();
        await Assert.ThrowsAnyAsync<Exception>(() => connect.WaitAsync(Guard));
    }

    [Fact]
    public async Task HandshakeAsync_ClientWithoutCertificate_FailsMissingCertificate()
    {
        await using var link = new Link();
        var client = new TestDtlsClient(ClientCertificate, sendCertificate: false);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString()).WaitAsync(Guard));

        Assert.Equal(DtlsHandshakeFailure.MissingClientCertificate, error.Failure);
        await Assert.ThrowsAnyAsync<Exception>(() => connect.WaitAsync(Guard));
    }

    [Fact]
    public async Task HandshakeAsync_NoClient_TimesOutOnServerClock()
    {
        var options = new DtlsServerOptions { HandshakeTimeout = TimeSpan.FromSeconds(5) };
        await using var link = new Link(options);
        Task<DtlsHandshakeResult> handshake = link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString());

        link.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(handshake.IsCompleted);
        link.Time.Advance(TimeSpan.FromSeconds(0.2));

        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => handshake.WaitAsync(Guard));
        Assert.Equal(DtlsHandshakeFailure.Timeout, error.Failure);
        Assert.Equal(DtlsCloseReason.HandshakeFailed, await link.Server.Closed.WaitAsync(Guard));
    }

    [Fact]
    public async Task HandshakeAsync_GarbageRecords_FailsCleanlyAndCountsNonDtls()
    {
        await using var link = new Link();
        Task<DtlsHandshakeResult> handshake = link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString());
        var random = new Random(21);
        int refused = 0;
        for (int i = 0; i < 500; i++)
        {
            byte[] junk = new byte[random.Next(0, 300)];
            random.NextBytes(junk);
            if (i % 3 == 0 && junk.Length > 13)
            {
                // Plausible DTLS 1.2 handshake record header (type 22, version FE FD, epoch 0).
                junk[0] = 22;
                junk[1] = 0xFE;
                junk[2] = 0xFD;
                junk[3] = 0;
                junk[4] = 0;
            }

            refused += link.Server.TryDeliver(junk) ? 0 : 1;
        }

        link.Time.Advance(DtlsServerOptions.Default.HandshakeTimeout);
        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => handshake.WaitAsync(Guard));

        Assert.Contains(error.Failure, new[] { DtlsHandshakeFailure.Timeout, DtlsHandshakeFailure.ProtocolError });
        Assert.True(refused > 250, $"{refused} refused");
        Assert.True(link.Server.DroppedDatagrams >= refused);
    }

    [Fact]
    public async Task HandshakeAsync_NonDtlsAndShortDatagramsInterleaved_StillCompletes()
    {
        DtlsServer? server = null;
        int injected = 0;
        await using var link = new Link(clientToServerFilter: d =>
        {
            // Before every real datagram, STUN-looking, RTP-looking and truncated bytes arrive too.
            injected += server!.TryDeliver([0x00, 0x01, 0x00, 0x00]) ? 0 : 1;
            injected += server.TryDeliver([0x80, 0x60, 0x00, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) ? 0 : 1;
            injected += server.TryDeliver(d.AsSpan(0, Math.Min(12, d.Length))) ? 0 : 1;
            return true;
        });
        server = link.Server;
        var client = new TestDtlsClient(ClientCertificate);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);

        DtlsHandshakeResult result = await link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString()).WaitAsync(Guard);
        await connect.WaitAsync(Guard);

        Assert.Equal(ClientCertificate.Fingerprint, result.RemoteFingerprint);
        Assert.True(injected >= 3 * 3);
        Assert.Equal(injected, link.Server.DroppedDatagrams);
    }

    [Fact]
    public async Task Closed_ClientSendsCloseNotify_ReportsPeerClosed()
    {
        await using var link = new Link();
        var client = new TestDtlsClient(ClientCertificate);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);
        await link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString()).WaitAsync(Guard);
        DtlsTransport clientDtls = await connect.WaitAsync(Guard);

        clientDtls.Close();

        Assert.Equal(DtlsCloseReason.PeerClosed, await link.Server.Closed.WaitAsync(Guard));
    }

    [Fact]
    public async Task DisposeAsync_AfterHandshake_SendsCloseNotifyToClient()
    {
        var link = new Link();
        var client = new TestDtlsClient(ClientCertificate);
        Task<DtlsTransport> connect = client.ConnectAsync(link.ClientTransport);
        await link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString()).WaitAsync(Guard);
        DtlsTransport clientDtls = await connect.WaitAsync(Guard);

        await link.Server.DisposeAsync();

        // The client's record layer reads the close_notify and closes its transport.
        byte[] buffer = new byte[2000];
        await Task.Run(() =>
        {
            try
            {
                clientDtls.Receive(buffer, 0, buffer.Length, 2000);
            }
            catch (IOException)
            {
                // Closed under the read: also a close.
            }
        }).WaitAsync(Guard);
        Assert.True(link.ClientTransport.IsClosed);
        Assert.Equal(DtlsCloseReason.LocalClose, await link.Server.Closed.WaitAsync(Guard));
        await link.DisposeAsync();
    }

    [Fact]
    public async Task HandshakeAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var link = new Link();
        using var cancellation = new CancellationTokenSource();
        Task<DtlsHandshakeResult> handshake = link.Server.HandshakeAsync(ClientCertificate.Fingerprint.ToString(), cancellation.Token);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake.WaitAsync(Guard));
        Assert.Equal(DtlsCloseReason.HandshakeFailed, await link.Server.Closed.WaitAsync(Guard));
    }

    [Fact]
    public async Task HandshakeAsync_CalledTwice_Throws()
    {
        await using var link = new Link();
        Task<DtlsHandshakeResult> first = link.Server.HandshakeAsync(ClientCertificate.Fingerprint);

        await Assert.ThrowsAsync<InvalidOperationException>(() => link.Server.HandshakeAsync(ClientCertificate.Fingerprint));

        await link.Server.DisposeAsync();
        var error = await Assert.ThrowsAsync<DtlsHandshakeException>(() => first.WaitAsync(Guard));
        Assert.Equal(DtlsHandshakeFailure.Aborted, error.Failure);
    }

    [Fact]
    public void Validate_SeveralBadValues_ListsAllOfThem()
    {
        var options = new DtlsServerOptions { HandshakeTimeout = TimeSpan.Zero, InboundQueueCapacity = 1, MaxDatagramSize = 100 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(nameof(DtlsServerOptions.HandshakeTimeout), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(DtlsServerOptions.InboundQueueCapacity), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(DtlsServerOptions.MaxDatagramSize), error.Message, StringComparison.Ordinal);
    }
}
