using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using RealtimeHead.WebRtc.Srtp;

namespace RealtimeHead.WebRtc.Dtls;

/// <summary>
/// The DTLS-SRTP server side of one WebRTC peer (RFC 5764, RFC 8842: we answer with
/// a=setup:passive, so the browser is the DTLS client). It owns no socket: the peer session feeds
/// inbound DTLS datagrams to <see cref="TryDeliver"/> and sends what comes out of the
/// <see cref="IDatagramSender"/>. <see cref="HandshakeAsync(string, CancellationToken)"/> yields the
/// SRTP keys; afterwards the association stays open until <see cref="Closed"/> completes.
/// </summary>
/// <remarks>
/// BouncyCastle's DTLS API blocks, so each association runs on its own background thread for its
/// lifetime (handshake, then reading close_notify and retransmitted Finished flights). The
/// handshake deadline is measured on the injected <see cref="TimeProvider"/>; BouncyCastle's own
/// retransmission timers (RFC 6347 §4.2.4) use the wall clock.
/// </remarks>
internal sealed partial class DtlsServer : IAsyncDisposable
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsServerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DtlsServer> _logger;
    private readonly DtlsDatagramTransport _transport;
    private readonly TaskCompletionSource<DtlsCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private DtlsTransport? _dtls;
    private Thread? _thread;
    private bool _started;
    private bool _established;
    private bool _timedOut;
    private bool _cancelled;
    private bool _disposed;

    public DtlsServer(DtlsCertificate certificate, IDatagramSender sender, DtlsServerOptions options, TimeProvider timeProvider, ILogger<DtlsServer> logger)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();

        _certificate = certificate;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _transport = new DtlsDatagramTransport(sender, options.InboundQueueCapacity, options.MaxDatagramSize);
    }

    /// <summary>Our certificate's fingerprint, for the local SDP.</summary>
    public DtlsFingerprint LocalFingerprint => _certificate.Fingerprint;

    /// <summary>Completes when the association ends, with why; never faults.</summary>
    public Task<DtlsCloseReason> Closed => _closed.Task;

    /// <summary>Inbound datagrams refused (not DTLS, oversize, queue full, after close).</summary>
    public long DroppedDatagrams => _transport.Dropped;

    /// <summary>
    /// "Datagram in": queues one DTLS datagram (copied) for the DTLS thread. Returns false, and
    /// counts it, for anything that cannot be DTLS (first byte outside 20..63, RFC 7983 §7) or when
    /// the queue is full or closed. Safe from any thread.
    /// </summary>
    public bool TryDeliver(ReadOnlySpan<byte> datagram) => _transport.TryDeliver(datagram);

    /// <summary>
    /// Runs the handshake once. <paramref name="expectedRemoteFingerprint"/> is the remote SDP's
    /// a=fingerprint value ("sha-256 AB:CD:..."). Throws <see cref="DtlsHandshakeException"/>
    /// on failure (its <see cref="DtlsHandshakeException.Failure"/> says why) and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public Task<DtlsHandshakeResult> HandshakeAsync(string expectedRemoteFingerprint, CancellationToken cancellationToken = default)
    {
        if (!DtlsFingerprint.TryParse(expectedRemoteFingerprint, out DtlsFingerprint? expected))
        {
            Log.HandshakeFailed(_logger, DtlsHandshakeFailure.InvalidExpectedFingerprint, "unparseable SDP fingerprint");
            return Task.FromException<DtlsHandshakeResult>(new DtlsHandshakeException(
                DtlsHandshakeFailure.InvalidExpectedFingerprint,
                "The remote SDP fingerprint is not of the form 'sha-256 AB:CD:...' (RFC 8122 §5)."));
        }

        return HandshakeAsync(expected, cancellationToken);
    }

    /// <inheritdoc cref="HandshakeAsync(string, CancellationToken)"/>
    public async Task<DtlsHandshakeResult> HandshakeAsync(DtlsFingerprint expectedRemoteFingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expectedRemoteFingerprint);
        var completion = new TaskCompletionSource<DtlsHandshakeResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tlsServer = new DtlsSrtpTlsServer(_certificate, expectedRemoteFingerprint);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException("A DtlsServer runs one handshake; create a new one per association.");
            }

            _started = true;
            _thread = new Thread(() => Run(tlsServer, completion))
            {
                IsBackground = true,
                Name = "DTLS server",
            };
        }

        using ITimer deadline = _timeProvider.CreateTimer(_ => Interrupt(ref _timedOut), null, _options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        using CancellationTokenRegistration registration = cancellationToken.Register(() => Interrupt(ref _cancelled));
        _thread.Start();
        try
        {
            return await completion.Task.ConfigureAwait(false);
        }
        catch (DtlsHandshakeException) when (_cancelled)
        {
            throw new OperationCanceledException("The DTLS handshake was cancelled.", cancellationToken);
        }
    }

    private void Interrupt(ref bool flag)
    {
        lock (_gate)
        {
            if (_established)
            {
                return;
            }

            flag = true;
        }

        _transport.Abort();
    }

    private void Run(DtlsSrtpTlsServer tlsServer, TaskCompletionSource<DtlsHandshakeResult> completion)
    {
        DtlsTransport dtls;
        try
        {
            dtls = new DtlsServerProtocol(new SecureRandom()).Accept(tlsServer, _transport);
            lock (_gate)
            {
                if (!_timedOut && !_cancelled && !_disposed)
                {
                    _established = true;
                    _dtls = dtls;
                }
            }

            if (!_established)
            {
                dtls.Close();
                throw new IOException("The handshake finished after it was interrupted.");
            }
        }
        catch (Exception exception)
        {
            DtlsHandshakeException failure = Classify(exception, tlsServer);
            Log.HandshakeFailed(_logger, failure.Failure, failure.Message);
            completion.TrySetException(failure);
            _closed.TrySetResult(DtlsCloseReason.HandshakeFailed);
            return;
        }

        var keys = SrtpKeyingMaterial.FromDtlsExporter(tlsServer.KeyingMaterial!, isDtlsServer: true);
        Log.HandshakeCompleted(_logger, tlsServer.RemoteFingerprint!.ToString());
        completion.TrySetResult(new DtlsHandshakeResult(keys, tlsServer.RemoteFingerprint, SrtpProfile.DtlsProfileId));
        _closed.TrySetResult(ReadUntilClosed(dtls, tlsServer));
    }

    private DtlsHandshakeException Classify(Exception exception, DtlsSrtpTlsServer tlsServer)
    {
        lock (_gate)
        {
            if (_disposed || _cancelled)
            {
                return new DtlsHandshakeException(DtlsHandshakeFailure.Aborted, "The DTLS handshake was aborted before it finished.", exception);
            }

            if (_timedOut)
            {
                return new DtlsHandshakeException(DtlsHandshakeFailure.Timeout,
                    $"The DTLS handshake did not finish within {_options.HandshakeTimeout.TotalSeconds:0.#} s; check that the client reaches this endpoint and takes the DTLS client role.",
                    exception);
            }
        }

        if (tlsServer.Rejection is { } rejection)
        {
            return new DtlsHandshakeException(rejection.Failure, rejection.Message, exception);
        }

        if (tlsServer.FatalAlertReceived is byte alert)
        {
            return new DtlsHandshakeException(DtlsHandshakeFailure.PeerAlert,
                $"The DTLS client aborted the handshake with fatal alert {AlertDescription.GetText(alert)}.", exception);
        }

        return new DtlsHandshakeException(DtlsHandshakeFailure.ProtocolError, $"The DTLS handshake failed: {exception.Message}", exception);
    }

    private DtlsCloseReason ReadUntilClosed(DtlsTransport dtls, DtlsSrtpTlsServer tlsServer)
    {
        // No data channels: application data is read only to keep the record layer serviced
        // (close_notify, a client resending its last flight because our Finished was lost).
        byte[] buffer = new byte[dtls.GetReceiveLimit()];
        try
        {
            while (!_transport.IsClosed)
            {
                dtls.Receive(buffer, 0, buffer.Length, 5000);
            }
        }
        catch (Exception exception) when (!tlsServer.CloseNotifyReceived && !_disposed && tlsServer.FatalAlertReceived is null)
        {
            Log.AssociationFailed(_logger, exception);
            return DtlsCloseReason.Failed;
        }
        catch (Exception)
        {
            // An expected end: close_notify, fatal alert or local close woke the read.
        }

        if (tlsServer.CloseNotifyReceived)
        {
            Log.ClosedByPeer(_logger);
            return DtlsCloseReason.PeerClosed;
        }

        return tlsServer.FatalAlertReceived is null ? DtlsCloseReason.LocalClose : DtlsCloseReason.PeerAlert;
    }

    /// <summary>Sends close_notify if the association is up, stops the DTLS thread and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        DtlsTransport? dtls;
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            dtls = _dtls;
            thread = _thread;
        }

        if (dtls is not null)
        {
            try
            {
                // RFC 5246 §7.2.1: announce the close so the browser tears down at once. This runs
                // beside the DTLS thread's read; BouncyCastle's close only touches the write epoch
                // and the transport, which then wakes that read.
                dtls.Close();
            }
            catch (Exception exception) when (exception is IOException or TlsException or InvalidOperationException)
            {
                Log.AssociationFailed(_logger, exception);
            }
        }

        _transport.Abort();
        if (thread is { IsAlive: true })
        {
            try
            {
                await _closed.Task.WaitAsync(TimeSpan.FromSeconds(5), _timeProvider).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The thread is a background thread blocked in BouncyCastle; it ends with the process.
            }
        }

        _closed.TrySetResult(DtlsCloseReason.LocalClose);
    }
}
