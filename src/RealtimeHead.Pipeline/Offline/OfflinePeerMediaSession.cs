using System.Threading.Channels;
using RealtimeHead.Media;

namespace RealtimeHead.Pipeline.Offline;

/// <summary>
/// The transport of an offline run: the runner writes the decoded audio as inbound 48 kHz frames, the pipeline's sends
/// are kept in order until the runner takes them. Sends never block, so a send is never in flight when the runner
/// looks at the pipeline.
/// </summary>
internal sealed class OfflinePeerMediaSession(string sessionId) : IPeerMediaSession
{
    private readonly Channel<AudioFrame> _inbound = Channel.CreateUnbounded<AudioFrame>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<VideoFrame> _video = [];
    private List<AudioFrame> _audio = [];

    public string SessionId { get; } = sessionId;

    public ChannelReader<AudioFrame> InboundAudio => _inbound.Reader;

    /// <summary>Inbound frames the pipeline has not read yet.</summary>
    public int InboundPending => _inbound.Reader.Count;

    public Task Completion => _completion.Task;

    // Offline there is no remote: nobody asks for keyframes or changes the bitrate.
    public event Action? KeyframeRequested
    {
        add { }
        remove { }
    }

    public event Action<int>? TargetBitrateChanged
    {
        add { }
        remove { }
    }

    public void Receive(AudioFrame frame) => _inbound.Writer.TryWrite(frame);

    public ValueTask SendVideoAsync(VideoFrame frame, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _video.Add(frame);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask SendAudioAsync(AudioFrame frame, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _audio.Add(frame);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Everything sent since the last call, in send order.</summary>
    public (List<VideoFrame> Video, List<AudioFrame> Audio) TakeSent()
    {
        lock (_gate)
        {
            var sent = (_video, _audio);
            _video = [];
            _audio = [];
            return sent;
        }
    }

    public ValueTask DisposeAsync()
    {
        _inbound.Writer.TryComplete();
        _completion.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
