using RealtimeHead.Audio;
using RealtimeHead.Pipeline;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Bots;
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

    /// <summary>The <c>sub</c> claim of the user who joined: only that user may push audio or speech into the session.</summary>
    public string? Owner { get; init; }

    /// <summary>Serialises Offer / BargeIn / teardown of this session.</summary>
    public SemaphoreSlim Gate => _gate;

    public PeerSession? Peer { get; private set; }

    public PipelineSession? Pipeline { get; private set; }

    /// <summary>The pipeline's voice source (microphone, or pushed/spoken audio), after the offer.</summary>
    public VoiceSourcePeer? Voice { get; private set; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private IAudioFrontEnd? FrontEnd { get; set; }

    private IVoiceActivityDetector? VoiceActivity { get; set; }

    /// <summary>Takes ownership of the media side after a successful start.</summary>
    public void Attach(PeerSession peer, PipelineSession pipeline, IAudioFrontEnd frontEnd, IVoiceActivityDetector? voiceActivity,
        VoiceSourcePeer? voice = null)
    {
        Peer = peer;
        Voice = voice;
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

        // Pipeline first (it reads the peer and uses the portrait), then the voice source and the peer, then what the
        // pipeline borrowed.
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
                try
                {
                    if (Voice is { } voice)
                    {
                        await voice.DisposeAsync().ConfigureAwait(false);
                    }
                }
                finally
                {
                    if (Peer is { } peer)
                    {
                        await peer.DisposeAsync().ConfigureAwait(false);
                    }
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
