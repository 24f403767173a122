namespace RealtimeHead.Server.Bots;

/// <summary>Where a session's voice comes from right now (the <c>voiceSource</c> of <c>GET /api/sessions</c>).</summary>
public enum VoiceSourceKind
{
    /// <summary>The browser's microphone over WebRTC (the default).</summary>
    Microphone = 0,

    /// <summary>Audio pushed over <c>GET /api/sessions/{id}/audio</c> (a WebSocket).</summary>
    Push = 1,

    /// <summary>Text spoken by espeak-ng on the server (<c>POST /api/sessions/{id}/speech</c> or the hub's <c>Speak</c>).</summary>
    Speech = 2,
}
