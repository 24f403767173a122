using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace RealtimeHead.WebRtc.Transport;

/// <summary>Called for every datagram the listener receives; the span is only valid during the call.</summary>
internal delegate void DatagramHandler(ReadOnlySpan<byte> datagram, IPEndPoint remote);

/// <summary>
/// The one UDP port all sessions share (see <see cref="Ice.IceOptions"/>): one socket per configured host
/// address, all bound to the same port, the first free one in the configured range. Each socket has one
/// receive loop that hands datagrams to a <see cref="DatagramHandler"/>; sends go out of the socket of the
/// remote address's family. Owns no session state.
/// </summary>
internal sealed partial class SharedUdpListener : IAsyncDisposable
{
    /// <summary>Largest datagram read; WebRTC media stays under the path MTU, anything longer is cut and dropped by parsers.</summary>
    public const int ReceiveBufferSize = 2048;

    private readonly Socket[] _sockets;
    private readonly Task[] _loops;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger<SharedUdpListener> _logger;
    private readonly DatagramHandler _handler;
    private long _received;
    private long _sent;
    private long _sendErrors;
    private long _handlerFaults;
    private int _disposed;

    private SharedUdpListener(Socket[] sockets, int port, DatagramHandler handler, ILogger<SharedUdpListener> logger)
    {
        _sockets = sockets;
        _handler = handler;
        _logger = logger;
        Port = port;
        LocalEndPoints = [.. sockets.Select(s => (IPEndPoint)s.LocalEndPoint!)];
        _loops = [.. sockets.Select(s => Task.Factory.StartNew(() => ReceiveLoopAsync(s), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())];
    }

    /// <summary>The shared port, the same on every address.</summary>
    public int Port { get; }

    public IReadOnlyList<IPEndPoint> LocalEndPoints { get; }

    public long DatagramsReceived => Interlocked.Read(ref _received);

    public long DatagramsSent => Interlocked.Read(ref _sent);

    /// <summary>Sends that the OS refused (no route, buffer full): the datagram is lost, as UDP allows.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>Exceptions that escaped the handler; each was logged and the loop went on.</summary>
    public long HandlerFaults => Interlocked.Read(ref _handlerFaults);

    /// <summary>
    /// Binds every address in <paramref name="addresses"/> to the first port of
    /// [<paramref name="portStart"/>, <paramref name="portEnd"/>] free on all of them, and starts receiving.
    /// Throws <see cref="SocketException"/> naming the range when none is free.
    /// </summary>
    public static SharedUdpListener Bind(IReadOnlyList<IPAddress> addresses, int portStart, int portEnd, DatagramHandler handler, ILogger<SharedUdpListener> logger)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(logger);
        if (addresses.Count == 0)
        {
            throw new ArgumentException("At least one host address is needed.", nameof(addresses));
        }

        for (int port = portStart; port <= portEnd; port++)
        {
            var sockets = new List<Socket>();
            try
            {
                foreach (var address in addresses.Distinct())
                {
                    var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    sockets.Add(socket);
                    if (address.AddressFamily == AddressFamily.InterNetworkV6)
                    {
                        socket.DualMode = false;
                    }

                    // Media bursts (a keyframe is tens of packets) must not overflow the kernel queue between reads.
                    socket.ReceiveBufferSize = 4 * 1024 * 1024;
                    socket.SendBufferSize = 4 * 1024 * 1024;
                    socket.Bind(new IPEndPoint(address, port));
                }

                LogBound(logger, port, string.Join(", ", addresses));
                return new SharedUdpListener([.. sockets], port, handler, logger);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                foreach (var socket in sockets)
                {
                    socket.Dispose();
                }
            }
            catch
            {
                foreach (var socket in sockets)
                {
                    socket.Dispose();
                }

                throw;
            }
        }

        throw new SocketException((int)SocketError.AddressAlreadyInUse, $"No UDP port in {portStart}-{portEnd} is free on {string.Join(", ", addresses)}; widen Ice:PortRangeStart/End or free a port.");
    }

    /// <summary>Sends one datagram from the socket of <paramref name="remote"/>'s family; never throws for network errors.</summary>
    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        Socket? socket = null;
        foreach (var candidate in _sockets)
        {
            if (candidate.AddressFamily == remote.AddressFamily)
            {
                socket = candidate;
                break;
            }
        }

        if (socket is null || Volatile.Read(ref _disposed) != 0)
        {
            Interlocked.Increment(ref _sendErrors);
            return;
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, remote);
            Interlocked.Increment(ref _sent);
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        byte[] buffer = GC.AllocateArray<byte>(ReceiveBufferSize, pinned: true);
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException exception)
            {
                // ICMP errors (e.g. port unreachable after a browser left) surface on the next read: keep going.
                LogReceiveError(_logger, exception.SocketErrorCode);
                continue;
            }

            Interlocked.Increment(ref _received);
            try
            {
                _handler(buffer.AsSpan(0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
            }
            catch (Exception exception)
            {
                // One session's bug must not stop the port every session shares.
                Interlocked.Increment(ref _handlerFaults);
                LogHandlerFault(_logger, exception);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll(_loops).ConfigureAwait(false);
        _stop.Dispose();
    }
}
