using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RealtimeHead.Media;
using RealtimeHead.WebRtc.Dtls;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Rtcp;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Sdp;
using RealtimeHead.WebRtc.Srtp;
using RealtimeHead.WebRtc.Transport;

namespace RealtimeHead.WebRtc.Peer;

/// <summary>
/// One browser peer on a <see cref="WebRtcEndpoint"/>: ICE-lite consent, the DTLS-SRTP association, inbound
/// Opus (jitter buffer, FEC/PLC) and outbound VP8 and Opus with RTCP (sender/receiver reports, NACK
/// retransmission, PLI/FIR, REMB) and pacing. Created by <see cref="WebRtcEndpoint.CreateSessionAsync"/>.
/// </summary>
/// <remarks>
/// <para>Threads: the shared port's receive loop answers STUN and queues everything else into this session's
/// bounded queue; one receive task per session handles DTLS, SRTP and RTCP, so a flooded or slow session never
/// stalls another. DTLS runs on its own thread (BouncyCastle blocks). A tick task drives the pacer, reports,
/// and audio playout; one task each encodes video and audio.</para>
/// <para>One media clock: outbound audio (48 kHz) and video (90 kHz) RTP timestamps are both
/// <c>offset + MediaTimestamp × rate / 48 000</c> with one random offset per stream (RFC 3550 §5.1), and
/// sender reports map one NTP instant to both, so the browser lip-syncs them.</para>
/// <para>Closes (and completes <see cref="Completion"/>, then releases every thread, native handle and its
/// port registration) on consent loss, DTLS close or failure, fingerprint mismatch, handshake timeout,
/// <see cref="DisposeAsync"/> or endpoint disposal.</para>
/// </remarks>
public sealed partial class PeerSession : IPeerMediaSession
{
    private readonly WebRtcEndpointOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PeerSession> _logger;
    private readonly NegotiatedSession _negotiated;
    private readonly DtlsServer _dtls;
    private readonly PeerTransport _transport;
    private readonly Action<PeerSession> _onClosed;
    private readonly Channel<byte[]> _inbound;
    private readonly Channel<AudioFrame> _inboundAudio;
    private readonly Channel<VideoFrame> _outboundVideo;
    private readonly Channel<AudioFrame> _outboundAudio;
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _createdAt;
    private readonly InboundAudioTrack _inboundTrack;
    private readonly OutboundVideoTrack _videoTrack;
    private readonly OutboundAudioTrack _audioTrack;
    private readonly RtpInterceptorChain _chain;
    private readonly NackResponder _nackResponder;
    private readonly SenderReportInterceptor _senderReports;
    private readonly KeyframeRequestInterceptor _keyframes;
    private readonly BandwidthEstimator _bandwidth;
    private readonly Pacer _pacer;
    private readonly Lock _clockLock = new();
    private readonly Counters _counters = new();
    private long _lastSentMedia;
    private long _lastSentAt;
    private bool _hasSent;
    private int _closeReason = -1;
    private int _started;
    private SrtpSession? _srtp;
    private Task? _run;

    internal PeerSession(
        string sessionId,
        NegotiatedSession negotiated,
        LocalSdpParameters local,
        IceLiteAgent agent,
        DtlsCertificate certificate,
        SharedUdpListener listener,
        WebRtcEndpointOptions options,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Action<PeerSession> onClosed)
    {
        SessionId = sessionId;
        _negotiated = negotiated;
        Agent = agent;
        _options = options;
        _time = time;
        _logger = loggerFactory.CreateLogger<PeerSession>();
        _onClosed = onClosed;
        _createdAt = time.GetTimestamp();
        _transport = new PeerTransport(listener, agent, time);
        _dtls = new DtlsServer(certificate, _transport, new DtlsServerOptions { HandshakeTimeout = options.HandshakeTimeout }, time, loggerFactory.CreateLogger<DtlsServer>());

        // DropWrite: under a flood what is already queued (a handshake flight, media in order) wins.
        _inbound = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(options.InboundDatagramQueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            _ => Interlocked.Increment(ref _counters.DatagramsDroppedQueueFull));
        _inboundAudio = Channel.CreateBounded<AudioFrame>(
            new BoundedChannelOptions(options.InboundAudioQueueFrames) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = true },
            _ => Interlocked.Increment(ref _counters.InboundAudioFramesDropped));
        _outboundVideo = Channel.CreateBounded<VideoFrame>(
            new BoundedChannelOptions(options.OutboundVideoQueueFrames) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _counters.VideoFramesDropped));
        _outboundAudio = Channel.CreateBounded<AudioFrame>(
            new BoundedChannelOptions(options.OutboundAudioQueueFrames) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _counters.AudioFramesDropped));

        var audio = negotiated.Audio;
        var video = negotiated.Video;

        // RFC 3550 §5.1: random initial timestamps, one offset per stream, both applied to the one media clock.
        uint audioOffset = (uint)Random.Shared.NextInt64(0, 1L << 32);
        uint videoOffset = (uint)Random.Shared.NextInt64(0, 1L << 32);
        _inboundTrack = new InboundAudioTrack(
            audio.PayloadType,
            audio.RemoteSsrcs,
            new OpusJitterBufferOptions { TargetDelay = options.JitterBufferDelay },
            _inboundAudio.Writer,
            SessionMediaPosition,
            time);
        _videoTrack = new OutboundVideoTrack(video.LocalSsrc, video.PayloadType, videoOffset, options.InitialVideoBitrate);
        _audioTrack = new OutboundAudioTrack(audio.LocalSsrc, audio.PayloadType, audioOffset, options.AudioBitrate);
        _transport.AddStream(audio.LocalSsrc, new OutboundStreamExtensions(audio.GetExtensionId(RtpHeaderExtensionUris.SdesMid), audio.Mid, null));
        _transport.AddStream(video.LocalSsrc, new OutboundStreamExtensions(
            video.GetExtensionId(RtpHeaderExtensionUris.SdesMid), video.Mid, video.GetExtensionId(RtpHeaderExtensionUris.AbsSendTime)));

        _senderReports = new SenderReportInterceptor(time, new SenderReportOptions { Interval = options.RtcpReportInterval, Cname = local.Cname }, MediaPositionNow);
        _senderReports.AddStream(audio.LocalSsrc, MediaClock.SampleRate, audioOffset);
        _senderReports.AddStream(video.LocalSsrc, MediaClock.VideoRtpClockRate, videoOffset);
        _nackResponder = new NackResponder();
        _pacer = new Pacer(time, new PacerOptions { InitialBitrate = options.InitialVideoBitrate }, packet => packet.Ssrc == audio.LocalSsrc);
        _keyframes = new KeyframeRequestInterceptor();
        _bandwidth = new BandwidthEstimator(
            time,
            new BandwidthEstimatorOptions { MinBitrate = options.MinVideoBitrate, MaxBitrate = options.MaxVideoBitrate, InitialBitrate = options.InitialVideoBitrate },
            new HashSet<uint> { audio.LocalSsrc, video.LocalSsrc });
        var receiverReports = new ReceiverReportInterceptor(
            time,
            new ReceiverReportOptions { Interval = options.RtcpReportInterval, SenderSsrc = audio.LocalSsrc },
            pt => pt == audio.PayloadType ? audio.ClockRate : pt == video.PayloadType ? video.ClockRate : 0);

        // Outbound order: count for reports, remember for NACK, then pace (retransmissions are paced too).
        _chain = new RtpInterceptorChain(
            [_senderReports, _nackResponder, _pacer, receiverReports, _keyframes, _bandwidth],
            _transport.SendRtp,
            _transport.SendRtcp);
        _keyframes.KeyframeRequested += OnKeyframeRequested;
        _bandwidth.TargetBitrateChanged += OnTargetBitrateChanged;
    }

    /// <inheritdoc />
    public string SessionId { get; }

    /// <inheritdoc />
    public ChannelReader<AudioFrame> InboundAudio => _inboundAudio.Reader;

    /// <inheritdoc />
    public Task Completion => _completion.Task;

    /// <summary>Why the session closed (or is closing); null while it is open.</summary>
    public PeerCloseReason? CloseReason
    {
        get
        {
            int reason = Volatile.Read(ref _closeReason);
            return reason < 0 ? null : (PeerCloseReason)reason;
        }
    }

    /// <summary>True once DTLS produced SRTP keys: media flows both ways.</summary>
    public bool IsConnected => Volatile.Read(ref _srtp) is not null;

    /// <inheritdoc />
    public event Action? KeyframeRequested;

    /// <inheritdoc />
    public event Action<int>? TargetBitrateChanged;

    internal IceLiteAgent Agent { get; }

    internal PeerTransport Transport => _transport;

    /// <summary>Completes when the DTLS association (and its thread) has ended.</summary>
    internal Task DtlsClosed => _dtls.Closed;

    /// <summary>Current counters; cheap enough to poll for metrics.</summary>
    public PeerSessionCounters GetCounters() => new()
    {
        DatagramsReceived = Interlocked.Read(ref _counters.DatagramsReceived),
        DatagramsDroppedQueueFull = Interlocked.Read(ref _counters.DatagramsDroppedQueueFull),
        DatagramsBeforeKeys = Interlocked.Read(ref _counters.DatagramsBeforeKeys),
        SrtpDropped = Interlocked.Read(ref _counters.SrtpDropped),
        SrtcpDropped = Interlocked.Read(ref _counters.SrtcpDropped),
        MalformedPackets = Interlocked.Read(ref _counters.Malformed),
        DtlsDropped = _dtls.DroppedDatagrams,
        ProcessingFaults = Interlocked.Read(ref _counters.ProcessingFaults),
        RtpIgnored = _inboundTrack.IgnoredPackets,
        JitterBufferLate = _inboundTrack.JitterBuffer.DroppedLate,
        JitterBufferDuplicates = _inboundTrack.JitterBuffer.DroppedDuplicate,
        JitterBufferOverflow = _inboundTrack.JitterBuffer.DroppedOverflow + _inboundTrack.JitterBuffer.DroppedOnRestart,
        InboundAudioFrames = _inboundTrack.FramesWritten,
        InboundAudioFramesDropped = Interlocked.Read(ref _counters.InboundAudioFramesDropped),
        ConcealedFrames = _inboundTrack.Decoder.ConcealedFrames,
        FecRecoveredFrames = _inboundTrack.Decoder.RecoveredFrames,
        CorruptAudioPackets = _inboundTrack.Decoder.CorruptPackets,
        VideoFramesEncoded = _videoTrack.FramesEncoded,
        KeyframesEncoded = _videoTrack.KeyframesEncoded,
        VideoFramesDropped = Interlocked.Read(ref _counters.VideoFramesDropped) + _videoTrack.EncoderFailures,
        AudioPacketsEncoded = _audioTrack.PacketsEncoded,
        AudioFramesDropped = Interlocked.Read(ref _counters.AudioFramesDropped),
        RtpPacketsSent = _transport.RtpSent,
        RtcpPacketsSent = _transport.RtcpSent,
        SendDrops = _transport.NotConnectedDrops + _transport.ProtectFailures,
        PacerDropped = _pacer.Dropped,
        NackRetransmissions = _nackResponder.Hits,
        PliReceived = _keyframes.PliCount,
        FirReceived = _keyframes.FirCount,
        TargetBitrate = _videoTrack.TargetBitrate,
        RoundTripTime = _senderReports.RoundTripTime,
    };

    /// <inheritdoc />
    public ValueTask SendVideoAsync(VideoFrame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        cancellationToken.ThrowIfCancellationRequested();
        if (!_outboundVideo.Writer.TryWrite(frame))
        {
            Interlocked.Increment(ref _counters.VideoFramesDropped);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SendAudioAsync(AudioFrame frame, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.SampleRate != MediaClock.SampleRate || frame.Channels is < 1 or > 2)
        {
            throw new ArgumentException($"Audio must be {MediaClock.SampleRate} Hz mono or stereo; got {frame.SampleRate} Hz, {frame.Channels} channels.", nameof(frame));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!_outboundAudio.Writer.TryWrite(frame))
        {
            Interlocked.Increment(ref _counters.AudioFramesDropped);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Closes the session (close_notify to the browser) and waits until everything is released.</summary>
    public async ValueTask DisposeAsync()
    {
        RequestClose(PeerCloseReason.Disposed);
        if (Volatile.Read(ref _started) == 0)
        {
            // Never started (the endpoint failed between creating and starting it): release here.
            Start();
        }

        await Completion.ConfigureAwait(false);
    }

    /// <summary>Starts the handshake and the receive task; called once by the endpoint after registration.</summary>
    internal void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        _ = Agent.ConsentLost.ContinueWith(
            static (_, state) => ((PeerSession)state!).RequestClose(PeerCloseReason.ConsentLost),
            this,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        _ = _dtls.Closed.ContinueWith(
            static (task, state) => ((PeerSession)state!).OnDtlsClosed(task.Result),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        _run = Task.Run(RunAsync);
    }

    /// <summary>Called on the shared port's receive loop after an authenticated ICE check from <paramref name="remote"/>.</summary>
    internal void OnValidCheck(System.Net.IPEndPoint remote) => _transport.OnValidCheck(remote);

    /// <summary>Queues one non-STUN datagram (copied) for this session's receive task; never blocks.</summary>
    internal void EnqueueDatagram(ReadOnlySpan<byte> datagram)
    {
        Interlocked.Increment(ref _counters.DatagramsReceived);
        _inbound.Writer.TryWrite(datagram.ToArray());
    }

    /// <summary>Asks the session to close with <paramref name="reason"/>; the first reason wins.</summary>
    internal void RequestClose(PeerCloseReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, -1) == -1)
        {
            LogClosing(_logger, SessionId, reason);
        }

        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    private void OnDtlsClosed(DtlsCloseReason reason)
    {
        switch (reason)
        {
            case DtlsCloseReason.PeerClosed or DtlsCloseReason.PeerAlert:
                RequestClose(PeerCloseReason.RemoteClosed);
                break;
            case DtlsCloseReason.Failed:
                RequestClose(PeerCloseReason.DtlsFailed);
                break;

            // HandshakeFailed: the handshake path classifies it; LocalClose: we are already closing.
        }
    }

    private async Task RunAsync()
    {
        var tasks = new List<Task> { Task.Run(ReceiveLoopAsync) };
        try
        {
            var result = await _dtls.HandshakeAsync(_negotiated.RemoteFingerprint.ToSdpValue(), _closing.Token).ConfigureAwait(false);
            var srtp = new SrtpSession(result.Keys);
            Volatile.Write(ref _srtp, srtp);
            _transport.SetSrtp(srtp);
            LogConnected(_logger, SessionId, _transport.RemoteEndPoint?.ToString() ?? "?");
            tasks.Add(Task.Run(TickLoopAsync));
            tasks.Add(Task.Run(() => SendLoopAsync(_outboundVideo.Reader, _videoTrack.Encode, f => f.MediaTimestamp)));
            tasks.Add(Task.Run(() => SendLoopAsync(_outboundAudio.Reader, _audioTrack.Encode, f => f.MediaTimestamp)));
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, _closing.Token).ConfigureAwait(false);
        }
        catch (DtlsHandshakeException exception)
        {
            RequestClose(exception.Failure switch
            {
                DtlsHandshakeFailure.FingerprintMismatch => PeerCloseReason.FingerprintMismatch,
                DtlsHandshakeFailure.Timeout => PeerCloseReason.HandshakeTimeout,
                DtlsHandshakeFailure.Aborted => PeerCloseReason.Disposed,
                _ => PeerCloseReason.DtlsFailed,
            });
        }
        catch (OperationCanceledException)
        {
            // RequestClose set the reason.
        }
        catch (Exception exception)
        {
            LogUnexpected(_logger, SessionId, exception);
            RequestClose(PeerCloseReason.DtlsFailed);
        }
        finally
        {
            await TeardownAsync(tasks).ConfigureAwait(false);
        }
    }

    private async Task TeardownAsync(List<Task> tasks)
    {
        RequestClose(PeerCloseReason.Disposed);

        // First stop routing: the port forgets this session's ufrag and endpoints.
        _onClosed(this);
        _inbound.Writer.TryComplete();
        _outboundVideo.Writer.TryComplete();
        _outboundAudio.Writer.TryComplete();
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            LogUnexpected(_logger, SessionId, exception);
        }

        // close_notify goes out while the keys and the path still exist; then the DTLS thread ends.
        await _dtls.DisposeAsync().ConfigureAwait(false);
        _transport.SetSrtp(null);
        Agent.Dispose();
        _inboundTrack.Dispose();
        _videoTrack.Dispose();
        _audioTrack.Dispose();
        Volatile.Read(ref _srtp)?.Dispose();
        _inboundAudio.Writer.TryComplete();
        _closing.Dispose();
        LogClosed(_logger, SessionId, CloseReason ?? PeerCloseReason.Disposed);
        _completion.TrySetResult();
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            await foreach (var datagram in _inbound.Reader.ReadAllAsync(_closing.Token).ConfigureAwait(false))
            {
                try
                {
                    ProcessDatagram(datagram);
                }
                catch (Exception exception)
                {
                    // Hostile input must cost a counter, never the session.
                    Interlocked.Increment(ref _counters.ProcessingFaults);
                    LogProcessingFault(_logger, SessionId, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ProcessDatagram(byte[] datagram)
    {
        var kind = DatagramClassifier.Classify(datagram);
        if (kind == DatagramKind.Dtls)
        {
            _dtls.TryDeliver(datagram);
            return;
        }

        if (kind is not (DatagramKind.Rtp or DatagramKind.Rtcp))
        {
            Interlocked.Increment(ref _counters.Malformed);
            return;
        }

        var srtp = Volatile.Read(ref _srtp);
        if (srtp is null)
        {
            Interlocked.Increment(ref _counters.DatagramsBeforeKeys);
            return;
        }

        if (kind == DatagramKind.Rtcp)
        {
            if (srtp.UnprotectRtcp(datagram, out int rtcpLength) != SrtpStatus.Ok)
            {
                Interlocked.Increment(ref _counters.SrtcpDropped);
                return;
            }

            if (!RtcpCompound.TryParse(datagram.AsSpan(0, rtcpLength), out var packets))
            {
                Interlocked.Increment(ref _counters.Malformed);
            }

            if (packets.Count > 0)
            {
                _chain.ReceiveRtcp(packets);
            }

            return;
        }

        if (srtp.UnprotectRtp(datagram, out int rtpLength) != SrtpStatus.Ok)
        {
            Interlocked.Increment(ref _counters.SrtpDropped);
            return;
        }

        if (!RtpPacket.TryParse(datagram.AsMemory(0, rtpLength), out var packet))
        {
            Interlocked.Increment(ref _counters.Malformed);
            return;
        }

        _chain.ReceiveRtp(packet);
        _inboundTrack.Accept(packet);
    }

    private async Task TickLoopAsync()
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_closing.Token).ConfigureAwait(false))
            {
                try
                {
                    _chain.Tick();
                    _inboundTrack.Playout();
                }
                catch (Exception exception)
                {
                    Interlocked.Increment(ref _counters.ProcessingFaults);
                    LogProcessingFault(_logger, SessionId, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Encodes the frames of one outbound track as they come and hands their packets to the interceptor chain
    /// (NACK buffer, pacer, reports). A frame that fails to encode is counted and skipped; the loop goes on.
    /// </summary>
    private async Task SendLoopAsync<TFrame>(ChannelReader<TFrame> frames, Func<TFrame, IReadOnlyList<RtpPacket>> encode,
        Func<TFrame, long> mediaTimestamp)
    {
        try
        {
            await foreach (var frame in frames.ReadAllAsync(_closing.Token).ConfigureAwait(false))
            {
                try
                {
                    var packets = encode(frame);
                    if (packets.Count == 0)
                    {
                        continue;
                    }

                    NoteSent(mediaTimestamp(frame));
                    foreach (var packet in packets)
                    {
                        _chain.SendRtp(packet);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Interlocked.Increment(ref _counters.ProcessingFaults);
                    LogProcessingFault(_logger, SessionId, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Media position of "now" since the session was created; the origin of inbound audio timestamps.</summary>
    private long SessionMediaPosition() => MediaClock.FromTimeSpan(_time.GetElapsedTime(_createdAt));

    private void NoteSent(long mediaTimestamp)
    {
        lock (_clockLock)
        {
            _lastSentMedia = mediaTimestamp;
            _lastSentAt = _time.GetTimestamp();
            _hasSent = true;
        }
    }

    /// <summary>
    /// The media position being sent now, for sender reports: the last frame handed to the wire plus the time
    /// since (the pipeline sends in real time), so both tracks' SRs name the same instant.
    /// </summary>
    private long MediaPositionNow()
    {
        lock (_clockLock)
        {
            return _hasSent ? _lastSentMedia + MediaClock.FromTimeSpan(_time.GetElapsedTime(_lastSentAt)) : SessionMediaPosition();
        }
    }

    private void OnKeyframeRequested(uint ssrc)
    {
        if (ssrc == _negotiated.Audio.LocalSsrc)
        {
            return;
        }

        _videoTrack.RequestKeyframe();
        try
        {
            KeyframeRequested?.Invoke();
        }
        catch (Exception exception)
        {
            LogHandlerFault(_logger, SessionId, nameof(KeyframeRequested), exception);
        }
    }

    private void OnTargetBitrateChanged(int bitsPerSecond)
    {
        _videoTrack.SetTargetBitrate(bitsPerSecond);
        _pacer.SetTargetBitrate(bitsPerSecond);
        try
        {
            TargetBitrateChanged?.Invoke(bitsPerSecond);
        }
        catch (Exception exception)
        {
            LogHandlerFault(_logger, SessionId, nameof(TargetBitrateChanged), exception);
        }
    }

    private sealed class Counters
    {
        public long DatagramsReceived;
        public long DatagramsDroppedQueueFull;
        public long DatagramsBeforeKeys;
        public long SrtpDropped;
        public long SrtcpDropped;
        public long Malformed;
        public long ProcessingFaults;
        public long InboundAudioFramesDropped;
        public long VideoFramesDropped;
        public long AudioFramesDropped;
    }
}
