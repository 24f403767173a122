using System.Collections.Concurrent;
using System.Threading.Channels;
using RealtimeHead.Media;

namespace RealtimeHead.Server.Tests.Bots;

/// <summary>A peer whose microphone the test writes and whose outgoing audio it reads.</summary>
internal sealed class FakePeerMediaSession : IPeerMediaSession
{
    private readonly Channel<AudioFrame> _microphone = Channel.CreateUnbounded<AudioFrame>();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string SessionId => "fake-peer";

    public ChannelWriter<AudioFrame> Microphone => _microphone.Writer;

    public ChannelReader<AudioFrame> InboundAudio => _microphone.Reader;

    public ConcurrentQueue<AudioFrame> SentAudio { get; } = new();

    public Task Completion => _completion.Task;

    public event Action? KeyframeRequested;

    public event Action<int>? TargetBitrateChanged;

    public ValueTask SendVideoAsync(VideoFrame frame, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask SendAudioAsync(AudioFrame frame, CancellationToken cancellationToken = default)
    {
        SentAudio.Enqueue(frame);
        return ValueTask.CompletedTask;
    }

    public void RaiseKeyframe() => KeyframeRequested?.Invoke();

    public void RaiseBitrate(int bitrate) => TargetBitrateChanged?.Invoke(bitrate);

    public ValueTask DisposeAsync()
    {
        _completion.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
