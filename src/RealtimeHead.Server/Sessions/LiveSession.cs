using RealtimeHead.Audio;
using RealtimeHead.Pipeline;
using RealtimeHead.Server.Avatars;
using RealtimeHead.WebRtc.Peer;

namespace RealtimeHead.Server.Sessions;

/// <summary>
/// One connection's call: the portrait it joined with and, after its offer, the WebRTC peer and the pipeline driving
/// the portrait from the peer's voice. Owns all of them; <see cref="DisposeAsync"/> returns every resource, once.
/// </summary>
internal sealed class LiveSession : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _disposed;

    public LiveSession(string sessionId, string connectionId, string avatarId, PortraitLease portrait, DateTimeOffset joinedAt)
    {
        SessionId = sessionId;
        ConnectionId = connectionId;
        AvatarId = avatarId;
        Portrait = portrait;
        JoinedAt = joinedAt;
    }

    public string SessionId { get; }

    public string ConnectionId { get; }

    public string AvatarId { get; }

    public PortraitLease Portrait { get; }

    public DateTimeOffset JoinedAt { get; }

    /// <summary>Serialises Offer / BargeIn / teardown of this session.</summary>
    public SemaphoreSlim Gate => _gate;

    public PeerSession? Peer { get; private set; }

    public PipelineSession? Pipeline { get; private set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private IAudioFrontEnd? FrontEnd { get; set; }

    private IVoiceActivityDetector? VoiceActivity { get; set; }

    /// <summary>Takes ownership of the media side after a successful start.</summary>
    public void Attach(PeerSession peer, PipelineSession pipeline, IAudioFrontEnd frontEnd, IVoiceActivityDetector? voiceActivity)
    {
        Peer = peer;
        Pipeline = pipeline;
        FrontEnd = frontEnd;
        VoiceActivity = voiceActivity;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Pipeline first (it reads the peer and uses the portrait), then the peer, then what the pipeline borrowed.
        try
        {
            if (Pipeline is { } pipeline)
            {
                await pipeline.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                if (Peer is { } peer)
                {
                    await peer.DisposeAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                FrontEnd?.Dispose();
                VoiceActivity?.Dispose();
                Portrait.Dispose();
            }
        }
    }
}
