namespace RealtimeHead.Server.Sessions;

/// <summary>Why a session ended (a metric tag and the <c>SessionEnded</c> message's reason).</summary>
public static class SessionCloseReason
{
    /// <summary>The client called Leave.</summary>
    public const string Left = "left";

    /// <summary>The SignalR connection closed.</summary>
    public const string Disconnected = "disconnected";

    /// <summary>The WebRTC peer closed: consent lost, DTLS failure, handshake timeout or the remote left.</summary>
    public const string PeerClosed = "peer_closed";

    /// <summary>The pipeline stopped on an error.</summary>
    public const string PipelineFailed = "pipeline_failed";

    /// <summary>The server is stopping.</summary>
    public const string ServerStopping = "server_stopping";
}
