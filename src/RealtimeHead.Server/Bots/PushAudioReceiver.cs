using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using RealtimeHead.Codecs.Opus;
using RealtimeHead.Media;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// Reads one push WebSocket into the session's <see cref="PushAudioStream"/>: each binary message is decoded (PCM or
/// Opus), mixed to mono, converted to 48 kHz and written, waiting while the stream is full (so the socket is not read
/// and TCP slows the bot down). A bad message is refused with a text message
/// <c>{"type":"error","code":"...","detail":"..."}</c>, counted, and skipped: the stream goes on. A message larger than
/// <see cref="BotOptions.MaxMessageBytes"/> closes the socket with 1009 (RFC 6455 §7.4.1). The client's close ends the
/// push (what is buffered still plays); the session's end closes the socket with 1001 and the reason.
/// </summary>
internal sealed partial class PushAudioReceiver
{
    /// <summary>How long the client has to answer the server's close before the socket is dropped.</summary>
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    private readonly WebSocket _socket;
    private readonly PushFormat _format;
    private readonly VoiceSourcePeer _voice;
    private readonly PushAudioStream _stream;
    private readonly BotOptions _options;
    private readonly BotMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private long _samplesReceived;
    private long _refused;
    private Task _sessionEndClose = Task.CompletedTask;

    private readonly string _sessionId;

    public PushAudioReceiver(string sessionId, WebSocket socket, PushFormat format, VoiceSourcePeer voice, PushAudioStream stream, BotOptions options,
        BotMetrics metrics, ILogger logger)
    {
        _sessionId = sessionId;
        _socket = socket;
        _format = format;
        _voice = voice;
        _stream = stream;
        _options = options;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>48 kHz samples accepted so far.</summary>
    public long SamplesReceived => Interlocked.Read(ref _samplesReceived);

    /// <summary>Messages refused so far.</summary>
    public long MessagesRefused => Interlocked.Read(ref _refused);

    /// <summary>Runs until the client closes, the session ends or the connection drops; never throws for the client's behaviour.</summary>
    public async Task RunAsync(CancellationToken requestAborted)
    {
        using var receive = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        using var sessionEnded = _voice.Ended.Register(() => _sessionEndClose = CloseForSessionEndAsync(receive));
        using var decoder = _format.IsOpus ? new OpusDecoder(new OpusDecoderOptions { Channels = 1 }) : null;
        var upsampler = _format.SampleRate == MediaClock.SampleRate ? null : new PcmUpsampler(_format.SampleRate);
        var message = new byte[_options.MaxMessageBytes];
        var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel];
        var clientClosed = false;
        try
        {
            while (true)
            {
                var (type, length) = await ReceiveMessageAsync(message, receive.Token).ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    clientClosed = true;
                    break;
                }

                if (length < 0)
                {
                    await RefuseAsync(BotErrorCode.MessageTooLarge, "").ConfigureAwait(false);
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig,
                        $"{BotErrorCode.MessageTooLarge}: over {_options.MaxMessageBytes} bytes", receive.Token).ConfigureAwait(false);
                    break;
                }

                if (type == WebSocketMessageType.Text)
                {
                    await RefuseAsync(BotErrorCode.NotBinary, "Send audio as binary messages.").ConfigureAwait(false);
                    continue;
                }

                var samples = Decode(message.AsSpan(0, length), decoder, pcm, out var code, out var detail);
                if (samples is null)
                {
                    await RefuseAsync(code!, detail!).ConfigureAwait(false);
                    continue;
                }

                if (!await WriteAsync(upsampler?.Process(samples) ?? samples, receive.Token).ConfigureAwait(false))
                {
                    break;
                }
            }

            if (clientClosed)
            {
                // The push ends cleanly: the converter's last samples, then the close handshake (RFC 6455 §5.5.1).
                if (upsampler is not null)
                {
                    await WriteAsync(upsampler.Flush(), receive.Token).ConfigureAwait(false);
                }

                await CloseAsync(WebSocketCloseStatus.NormalClosure, "push ended", receive.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            // The connection dropped, or the session ended and the client did not answer the close in time.
        }
        finally
        {
            _voice.ClosePush(_stream, SamplesReceived);
        }

        // Let the session-end close frame go out before the connection is dropped (it has its own time limit). The loop
        // can end (the voice closed) before the Ended callback has run or stored its task: then send it here; a second
        // close is a no-op (CloseAsync sends only from Open or CloseReceived).
        await Volatile.Read(ref _sessionEndClose).ConfigureAwait(false);
        if (_voice.Ended.IsCancellationRequested)
        {
            await CloseForSessionEndAsync(receive).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads one whole message into <paramref name="buffer"/>; the length is -1 when it does not fit (the rest is not read).
    /// </summary>
    private async Task<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                return (WebSocketMessageType.Binary, -1);
            }

            var result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, length);
            }
        }
    }

    /// <summary>One message to mono 16-bit samples at the format's rate, or null with the refusal.</summary>
    private short[]? Decode(ReadOnlySpan<byte> payload, OpusDecoder? decoder, short[] pcm, out string? code, out string? detail)
    {
        code = null;
        detail = null;
        if (decoder is not null)
        {
            var result = decoder.Decode(payload, pcm);
            if (!result.Succeeded || result.SamplesPerChannel <= 0)
            {
                code = BotErrorCode.UndecodableOpus;
                detail = $"A {payload.Length}-byte message is not an Opus packet libopus can decode.";
                return null;
            }

            return pcm.AsSpan(0, result.SamplesPerChannel).ToArray();
        }

        var blockAlign = 2 * _format.Channels;
        if (payload.IsEmpty || payload.Length % blockAlign != 0)
        {
            code = BotErrorCode.OddLength;
            detail = $"A pcm16 message with {_format.Channels} channel(s) must be a non-empty multiple of {blockAlign} bytes (was {payload.Length}).";
            return null;
        }

        var frames = payload.Length / blockAlign;
        var samples = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0;
            for (var c = 0; c < _format.Channels; c++)
            {
                sum += BinaryPrimitives.ReadInt16LittleEndian(payload.Slice((((i * _format.Channels) + c) * 2), 2));
            }

            samples[i] = (short)(sum / _format.Channels);
        }

        return samples;
    }

    private async Task<bool> WriteAsync(short[] samples, CancellationToken cancellationToken)
    {
        var waitsBefore = _stream.BackpressureWaits;
        var refusedBefore = _stream.SamplesRefused;
        var accepted = await _stream.WriteAsync(samples, cancellationToken).ConfigureAwait(false);
        if (_stream.BackpressureWaits != waitsBefore)
        {
            _metrics.BackpressureWait();
        }

        // Audio the bot sent before it saw the session end, still in flight when the voice closed, is counted with what
        // the voice had buffered, not lost silently (a long block may have been added in part before that).
        var refused = (int)(_stream.SamplesRefused - refusedBefore);
        Interlocked.Add(ref _samplesReceived, samples.Length - refused);
        _metrics.Discarded("session_ended", refused);

        return accepted;
    }

    private async Task RefuseAsync(string code, string detail)
    {
        Interlocked.Increment(ref _refused);
        _metrics.Refused(code);
        Log.MessageRefused(_logger, _sessionId, code);
        if (detail.Length == 0)
        {
            return;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new { type = "error", code, detail });
        await SendAsync(json, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SendAsync(byte[] utf8, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseGrace);
        await _sendGate.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(utf8, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CloseGrace);
        await _sendGate.WaitAsync(timeout.Token).ConfigureAwait(false);
        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                // A close reason is at most 123 bytes (RFC 6455 §5.5: control frames carry ≤ 125 bytes).
                await _socket.CloseOutputAsync(status, Limit(reason), timeout.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>The session ended: close with 1001 and the reason, and stop waiting for the client after a grace.</summary>
    private async Task CloseForSessionEndAsync(CancellationTokenSource receive)
    {
        try
        {
            await CloseAsync(WebSocketCloseStatus.EndpointUnavailable, $"session_ended: {_voice.EndReason ?? "closed"}", CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
        }

        try
        {
            receive.CancelAfter(CloseGrace);
        }
        catch (ObjectDisposedException)
        {
            // The receiver finished meanwhile.
        }
    }

    private static string Limit(string reason)
    {
        while (Encoding.UTF8.GetByteCount(reason) > 123)
        {
            reason = reason[..^1];
        }

        return reason;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5003, Level = LogLevel.Debug, Message = "Push message refused on session {SessionId}: {Code}")]
        public static partial void MessageRefused(ILogger logger, string sessionId, string code);
    }
}
