using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Media;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Tests.TestSupport;
using RealtimeHead.Testing;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class VoiceSourcePeerTests : IAsyncLifetime
{
    private const int Frame = VoiceSourcePeer.FrameSamples;

    private readonly FakeTimeProvider _time = new(seed: 3);
    private readonly FakePeerMediaSession _peer = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private VoiceSourcePeer _voice = null!;

    public Task InitializeAsync()
    {
        _voice = Create(new BotOptions { PushPrebuffer = TimeSpan.FromMilliseconds(60), MaxQueuedUtterances = 2 });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _voice.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Pace_PushedFasterThanRealTime_ReleasesEachFrameWhenItsEndIsCaptured()
    {
        _voice.Start();
        Assert.True(_voice.TryOpenPush(out var stream, out _));
        Assert.True(await stream!.WriteAsync(Ramp(10 * Frame), CancellationToken.None));

        for (var k = 1; k <= 5; k++)
        {
            await WaitForTimerAsync();
            Assert.Equal(k - 1, _voice.InboundAudio.Count);
            _time.Advance(TimeSpan.FromMilliseconds(20));
            await Eventually.TrueAsync(() => _voice.InboundAudio.Count == k);
        }

        var frames = ReadAll();
        Assert.Equal([0L, 960, 1920, 2880, 3840], frames.Select(f => f.MediaTimestamp));
        Assert.All(frames, f => Assert.Equal((48_000, 1, Frame), (f.SampleRate, f.Channels, f.SampleCount)));
        Assert.Equal(Ramp(5 * Frame), frames.SelectMany(f => f.Samples).ToArray());
        Assert.Equal(VoiceSourceKind.Push, _voice.Source);
    }

    [Fact]
    public async Task Microphone_NothingPushed_PassesThroughUnchanged()
    {
        _voice.Start();
        var frame = new AudioFrame(Ramp(Frame), 48_000, 1, 4800);

        _peer.Microphone.TryWrite(frame);

        await Eventually.TrueAsync(() => _voice.InboundAudio.Count == 1);
        Assert.True(_voice.InboundAudio.TryRead(out var read));
        Assert.Same(frame, read);
        Assert.Equal(VoiceSourceKind.Microphone, _voice.Source);
        Assert.Equal(0, _voice.MicFramesIgnored);
    }

    [Fact]
    public async Task Microphone_WhileAPushIsOpen_IsIgnoredAndCounted()
    {
        _voice.Start();
        Assert.True(_voice.TryOpenPush(out _, out _));

        _peer.Microphone.TryWrite(new AudioFrame(Ramp(Frame), 48_000, 1, 0));
        _peer.Microphone.TryWrite(new AudioFrame(Ramp(Frame), 48_000, 1, 960));

        await Eventually.TrueAsync(() => _voice.MicFramesIgnored == 2);
        Assert.Equal(0, _voice.InboundAudio.Count);
    }

    [Fact]
    public async Task Microphone_AfterThePushPlayedOut_ResumesWithoutOverlappingIt()
    {
        _voice.Start();
        Assert.True(_voice.TryOpenPush(out var stream, out _));
        await stream!.WriteAsync(Ramp(2 * Frame), CancellationToken.None);
        _voice.ClosePush(stream, 2 * Frame);
        await AdvanceFramesAsync(2);
        await Eventually.TrueAsync(() => _voice.Source == VoiceSourceKind.Microphone && _voice.InboundAudio.Count == 2);
        ReadAll();

        _peer.Microphone.TryWrite(new AudioFrame(Ramp(Frame), 48_000, 1, 960));   // inside the pushed audio
        _peer.Microphone.TryWrite(new AudioFrame(Ramp(Frame), 48_000, 1, 1920));  // just after it

        await Eventually.TrueAsync(() => _voice.InboundAudio.Count == 1 && _voice.MicFramesIgnored == 1);
        Assert.Equal(1920, ReadAll().Single().MediaTimestamp);
    }

    [Fact]
    public async Task Pace_OpenPushRunsDry_StopsCountsAnUnderrunAndResumesAtNow()
    {
        _voice.Start();
        Assert.True(_voice.TryOpenPush(out var stream, out _));
        await stream!.WriteAsync(Ramp(3 * Frame), CancellationToken.None);   // exactly the 60 ms prebuffer
        await AdvanceFramesAsync(4);                                          // the fourth frame finds nothing
        await Eventually.TrueAsync(() => _voice.InboundAudio.Count == 3 && _voice.Underruns == 1);

        // 100 ms later the bot sends again: the run restarts at the current position, leaving a gap, never overlapping.
        _time.Advance(TimeSpan.FromMilliseconds(100));
        await stream.WriteAsync(Ramp(3 * Frame), CancellationToken.None);
        await Eventually.TrueAsync(() => _voice.InboundAudio.Count == 4);

        var frames = ReadAll();
        Assert.Equal([0L, 960, 1920], frames.Take(3).Select(f => f.MediaTimestamp));
        Assert.Equal(MediaClock.FromTimeSpan(TimeSpan.FromMilliseconds(160)), frames[3].MediaTimestamp);
    }

    [Fact]
    public async Task TryOpenPush_SecondWhileOneIsOpen_IsRefused()
    {
        Assert.True(_voice.TryOpenPush(out var first, out _));

        Assert.False(_voice.TryOpenPush(out var second, out var problem));

        Assert.Null(second);
        Assert.Contains("Another push", problem, StringComparison.Ordinal);
        _voice.ClosePush(first!, 0);
        Assert.True(_voice.TryOpenPush(out _, out _));
        await Task.CompletedTask;
    }

    [Fact]
    public void TryEnqueueSpeech_WhileAPushIsOpenOrTheQueueIsFull_RefusesWithTheCode()
    {
        Assert.True(_voice.TryEnqueueSpeech(new SpeechUtterance("u1", new short[Frame * 5]), out var ahead1, out _));
        Assert.True(_voice.TryEnqueueSpeech(new SpeechUtterance("u2", new short[Frame]), out var ahead2, out _));

        Assert.False(_voice.TryEnqueueSpeech(new SpeechUtterance("u3", new short[Frame]), out _, out var full));
        Assert.Equal(BotErrorCode.SpeechQueueFull, full);
        Assert.Equal(0, ahead1);
        Assert.Equal(Frame * 5, ahead2);
        Assert.Equal(VoiceSourceKind.Speech, _voice.Source);

        _voice.Interrupt();
        Assert.True(_voice.TryOpenPush(out _, out _));
        Assert.False(_voice.TryEnqueueSpeech(new SpeechUtterance("u4", new short[Frame]), out _, out var busy));
        Assert.Equal(BotErrorCode.VoiceBusy, busy);
    }

    [Fact]
    public async Task Interrupt_QueuedSpeech_DropsItAndHandsTheVoiceBackToTheMicrophone()
    {
        _voice.Start();
        _voice.TryEnqueueSpeech(new SpeechUtterance("u1", Ramp(50 * Frame)), out _, out _);
        await AdvanceFramesAsync(2);
        await Eventually.TrueAsync(() => _voice.InboundAudio.Count == 2);

        var dropped = _voice.Interrupt();

        Assert.Equal(48 * Frame, dropped);
        _peer.Microphone.TryWrite(new AudioFrame(Ramp(Frame), 48_000, 1, 10 * Frame));
        await Eventually.TrueAsync(() => _voice.InboundAudio.Count == 3);
        Assert.Equal(VoiceSourceKind.Microphone, _voice.Source);
    }

    [Fact]
    public async Task End_OpenPush_CancelsEndedWithTheReasonAndCompletesTheStream()
    {
        _voice.Start();
        Assert.True(_voice.TryOpenPush(out var stream, out _));
        await stream!.WriteAsync(new short[Frame], CancellationToken.None);

        _voice.End("left");

        Assert.True(_voice.Ended.IsCancellationRequested);
        Assert.Equal("left", _voice.EndReason);
        Assert.True(stream.IsCompleted);
        Assert.Equal(0, stream.Available);
        Assert.False(await stream.WriteAsync(new short[10], CancellationToken.None));
        Assert.Equal(10, stream.SamplesRefused);
        Assert.False(_voice.TryOpenPush(out _, out _));
    }

    [Fact]
    public async Task PassThrough_SendsEventsAndCompletion_ReachTheWrappedPeer()
    {
        var keyframes = 0;
        var bitrate = 0;
        var sent = new List<AudioFrame>();
        _voice.KeyframeRequested += () => keyframes++;
        _voice.TargetBitrateChanged += b => bitrate = b;
        _voice.AudioSent += sent.Add;

        _peer.RaiseKeyframe();
        _peer.RaiseBitrate(250_000);
        var frame = new AudioFrame(new short[Frame], 48_000, 1, 0);
        await _voice.SendAudioAsync(frame);
        await _peer.DisposeAsync();

        Assert.Equal(1, keyframes);
        Assert.Equal(250_000, bitrate);
        Assert.Same(frame, Assert.Single(_peer.SentAudio));
        Assert.Same(frame, Assert.Single(sent));
        Assert.True(_voice.Completion.IsCompleted);
        Assert.Equal("fake-peer", _voice.SessionId);
    }

    private VoiceSourcePeer Create(BotOptions options) =>
        new(_peer, options, _time, new BotMetrics(_services.GetRequiredService<IMeterFactory>()), NullLogger<VoiceSourcePeer>.Instance);

    private async Task WaitForTimerAsync() => await Eventually.TrueAsync(() => _time.ActiveTimerCount > 0);

    private async Task AdvanceFramesAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await WaitForTimerAsync();
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }
    }

    private List<AudioFrame> ReadAll()
    {
        var frames = new List<AudioFrame>();
        while (_voice.InboundAudio.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }

    private static short[] Ramp(int count) => [.. Enumerable.Range(0, count).Select(i => (short)(i % 20_000))];
}
