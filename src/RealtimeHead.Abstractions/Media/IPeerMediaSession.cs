using System.Threading.Channels;

namespace RealtimeHead.Media;

/// <summary>
/// What the streaming pipeline sees of a WebRTC peer: decoded inbound audio, outbound video and audio,
/// and the transport's requests. It knows nothing of the model; the transport knows nothing of the pipeline.
/// </summary>
public interface IPeerMediaSession : IAsyncDisposable
{
    /// <summary>Stable id of the session, carried in logs and metrics.</summary>
    string SessionId { get; }

    /// <summary>Decoded microphone audio (48 kHz PCM) with media timestamps, in order, concealment included.</summary>
    ChannelReader<AudioFrame> InboundAudio { get; }

    /// <summary>Queues an I420 frame for encoding and sending at its media timestamp.</summary>
    ValueTask SendVideoAsync(VideoFrame frame, CancellationToken cancellationToken = default);

    /// <summary>Queues PCM audio (48 kHz) for encoding and sending at its media timestamp.</summary>
    ValueTask SendAudioAsync(AudioFrame frame, CancellationToken cancellationToken = default);

    /// <summary>Raised when the remote asks for a keyframe (PLI/FIR) or a decoder needs one.</summary>
    event Action? KeyframeRequested;

    /// <summary>Raised with the new target video bitrate (bits/s) when the bandwidth estimate changes.</summary>
    event Action<int>? TargetBitrateChanged;

    /// <summary>Completes when the session closes (remote left, consent lost, DTLS failure or disposal).</summary>
    Task Completion { get; }
}
