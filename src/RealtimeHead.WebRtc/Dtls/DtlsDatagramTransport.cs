using System.Threading.Channels;
using Org.BouncyCastle.Crypto.Tls;

namespace RealtimeHead.WebRtc.Dtls;

/// <summary>
/// Adapts the "datagram in" channel and an <see cref="IDatagramSender"/> to BouncyCastle's blocking
/// <see cref="DatagramTransport"/>, so DTLS runs over whatever the peer session demultiplexes
/// rather than owning a socket. <see cref="Receive"/> is called from one DTLS thread only.
/// </summary>
internal sealed class DtlsDatagramTransport : DatagramTransport
{
    /// <summary>Largest DTLS datagram accepted (IPv4 UDP payload limit).</summary>
    public const int MaxReceiveSize = 65507;

    private const int RecordHeaderLength = 13;

    private readonly IDatagramSender _sender;
    private readonly int _sendLimit;
    private readonly Channel<byte[]> _inbound;
    private readonly CancellationTokenSource _abort = new();
    private Task<bool>? _pendingWait;
    private long _dropped;
    private volatile bool _closed;

    public DtlsDatagramTransport(IDatagramSender sender, int queueCapacity, int sendLimit)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _sendLimit = sendLimit;

        // DropWrite: under a flood the records already queued (the handshake in progress) win.
        _inbound = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(queueCapacity)
            {
                FullMode = BoundedChannelFullMode.DropWrite,
                SingleReader = false,
                SingleWriter = false,
            },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>Datagrams refused: not DTLS, too short or long, queue full, or after close.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True once BouncyCastle closed the transport (close_notify or failure) or it was aborted.</summary>
    public bool IsClosed => _closed;

    /// <summary>
    /// Queues one inbound datagram (copied). Only payloads that can be DTLS pass: first byte 20..63
    /// (RFC 7983 §7) and at least one record header long; everything else is counted and refused.
    /// </summary>
    public bool TryDeliver(ReadOnlySpan<byte> datagram)
    {
        if (_closed || datagram.Length < RecordHeaderLength || datagram.Length > MaxReceiveSize || datagram[0] is < 20 or > 63)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        return _inbound.Writer.TryWrite(datagram.ToArray());
    }

    /// <summary>Wakes a blocked <see cref="Receive"/> with an <see cref="IOException"/>; used for timeouts and disposal.</summary>
    public void Abort()
    {
        _closed = true;
        _inbound.Writer.TryComplete();
        _abort.Cancel();
    }

    public int GetReceiveLimit() => MaxReceiveSize;

    public int GetSendLimit() => _sendLimit;

    /// <summary>
    /// Returns the next queued datagram, or -1 after <paramref name="waitMillis"/> (0 waits until
    /// data or close, as a socket timeout of 0 does). Throws <see cref="IOException"/> once closed,
    /// which ends BouncyCastle's handshake or read loop.
    /// </summary>
    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        while (true)
        {
            if (_inbound.Reader.TryRead(out byte[]? datagram))
            {
                // A datagram longer than the caller's buffer cannot be a valid record for it: drop.
                if (datagram.Length > len)
                {
                    Interlocked.Increment(ref _dropped);
                    continue;
                }

                datagram.CopyTo(buf, off);
                return datagram.Length;
            }

            if (_closed)
            {
                throw new IOException("The DTLS datagram transport is closed.");
            }

            // One outstanding wait is kept across calls so idle timeouts do not pile up waiters.
            Task<bool> wait = _pendingWait ??= _inbound.Reader.WaitToReadAsync(_abort.Token).AsTask();
            try
            {
                if (!wait.Wait(waitMillis <= 0 ? Timeout.Infinite : waitMillis))
                {
                    return -1;
                }
            }
            catch (AggregateException)
            {
                // Cancelled by Abort: the loop sees _closed and throws.
            }

            _pendingWait = null;
        }
    }

    public void Send(byte[] buf, int off, int len) => _sender.Send(new ReadOnlySpan<byte>(buf, off, len));

    /// <summary>Called by BouncyCastle after close_notify or a fatal alert.</summary>
    public void Close()
    {
        _closed = true;
        _inbound.Writer.TryComplete();
        _abort.Cancel();
    }
}
