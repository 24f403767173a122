using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace RealtimeHead.WebRtc.Transport;

internal sealed partial class SharedUdpListener
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "WebRTC UDP listener bound port {Port} on {Addresses}")]
    private static partial void LogBound(ILogger logger, int port, string addresses);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Debug, Message = "UDP receive error {Error}; continuing")]
    private static partial void LogReceiveError(ILogger logger, SocketError error);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Error, Message = "A datagram handler threw; the datagram was dropped")]
    private static partial void LogHandlerFault(ILogger logger, Exception exception);
}
