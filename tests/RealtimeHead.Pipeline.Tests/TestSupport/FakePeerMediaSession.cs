using System.Threading.Channels;
using RealtimeHead.Media;

namespace RealtimeHead.Pipeline.Tests.TestSupport;

/// <summary>The transport as the pipeline sees it: tests write inbound audio and read what was sent, with fake-clock send times.</summary>
internal sealed class FakePeerMediaSession(string sessionId, TimeProvider time) : IPeerMediaSession
{
    private readonly Channel<AudioFrame> _inbound = Channel.CreateUnbounded<AudioFrame>();
    private readonly Lock _gate = new();
    private readonly List<(long MediaTimestamp, long SentAt, VideoFrame Frame)> _video = [];
    private readonly List<(long MediaTimestamp, int Samples, long SentAt)> _audio = [];
    private readonly TaskCompletionSource _completion = new();

    public string SessionId { get; } = sessionId;

    public ChannelReader<AudioFrame> InboundAudio => _inbound.Reader;

    public int InboundPending => _inbound.Reader.Count;

    /// <summary>When set, every video send awaits this first (a slow or stuck transport).</summary>
    public Func<CancellationToken, Task>? VideoSendHook { get; set; }

    public IReadOnlyList<(long MediaTimestamp, long SentAt, VideoFrame Frame)> Video
    {
        get
        {
            lock (_gate)
            {
                return _video.ToList();
            }
        }
    }

    public IReadOnlyList<(long MediaTimestamp, int Samples, long SentAt)> Audio
    {
        get
        {
            lock (_gate)
            {
                return _audio.ToList();
            }
        }
    }

    public Task Completion => _completion.Task;

    public event Action? KeyframeRequested;

    public event Action<int>? TargetBitrateChanged;

    public void Receive(AudioFrame frame) => _inbound.Writer.TryWrite(frame);

    public void RequestKeyframe() => KeyframeRequested?.Invoke();

    public async ValueTask SendVideoAsync(VideoFrame frame, CancellationToken cancellationToken = default)
    {
        if (VideoSendHook is { } hook)
        {
            await hook(cancellationToken);
        }

        lock (_gate)
        {
            _video.Add((frame.MediaTimestamp, time.GetTimestamp(), frame));
        }
    }

    public ValueTask SendAudioAsync(AudioFrame frame, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _audio.Add((frame.MediaTimestamp, frame.SampleCount, time.GetTimestamp()));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _inbound.Writer.TryComplete();
        _completion.TrySetResult();
        TargetBitrateChanged?.Invoke(0);
        return ValueTask.CompletedTask;
    }
}
