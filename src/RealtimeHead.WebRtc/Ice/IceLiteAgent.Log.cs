using System.Net;
using Microsoft.Extensions.Logging;

namespace RealtimeHead.WebRtc.Ice;

internal sealed partial class IceLiteAgent
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "ICE session {Ufrag} nominated remote endpoint {EndPoint}")]
    private static partial void LogNominated(ILogger logger, string ufrag, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "ICE session {Ufrag} lost consent: no valid check for {Seconds:F1} s")]
    private static partial void LogConsentLost(ILogger logger, string ufrag, double seconds);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Debug, Message = "Binding request from {EndPoint} with USERNAME {Username} failed authentication; answered 401")]
    private static partial void LogUnauthorized(ILogger logger, IPEndPoint endPoint, string username);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "Binding request from {EndPoint} lacks USERNAME or MESSAGE-INTEGRITY; answered 400")]
    private static partial void LogBadRequest(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "Binding request from {EndPoint} claims ICE-CONTROLLED; answered 487")]
    private static partial void LogRoleConflict(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Debug, Message = "Dropped malformed STUN datagram from {EndPoint}: {Error}")]
    private static partial void LogMalformed(ILogger logger, IPEndPoint endPoint, StunParseError error);
}
