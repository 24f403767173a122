namespace RealtimeHead.Server.Sessions;

/// <summary>
/// Stable reason codes of refused hub calls. A refusal is a <c>HubException</c> whose message is
/// <c>"{code}: {what happened}"</c>; SignalR hands it to clients as <c>"An unexpected error occurred invoking 'Join' on
/// the server. HubException: {code}: {what happened}"</c>, so clients take the word after <c>"HubException: "</c>.
/// </summary>
public static class SessionErrorCode
{
    /// <summary>The avatar (or uploaded portrait) id names nothing.</summary>
    public const string UnknownAvatar = "unknown_avatar";

    /// <summary>The SDP offer cannot be served; the message says what it lacks.</summary>
    public const string OfferRejected = "offer_rejected";

    /// <summary>The server (or its render device) has no room for another session.</summary>
    public const string CapacityFull = "capacity_full";

    /// <summary>The caller is not authenticated.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The message is malformed or out of order (offer before join, empty SDP, bad candidate ...).</summary>
    public const string BadMessage = "bad_message";
}

/// <summary>A refused session request: <see cref="Code"/> is one of <see cref="SessionErrorCode"/>.</summary>
internal sealed class SessionRequestException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
