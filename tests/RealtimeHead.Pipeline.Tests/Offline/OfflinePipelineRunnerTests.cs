using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Offline;
using RealtimeHead.Pipeline.Resampling;
using RealtimeHead.Pipeline.Tests.TestSupport;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Tests.Offline;

public sealed class OfflinePipelineRunnerTests
{
    [Fact]
    public async Task RunAsync_OneAndAHalfSeconds_WritesEveryFrameSlotAndExactlyTheInputVoice()
    {
        var audio = Voice(72_000 + 500); // 1.5 s and a bit: 38 frame slots
        using var renderer = new FakeRenderer();
        var sink = new CollectingSink();

        var result = await OfflinePipelineRunner.RunAsync(renderer, renderer.EncodePortrait("face", [], 0, 0), new EnergyFrontEnd(),
            null, new AveragingDecimator(), audio, sink);

        Assert.Equal(38, result.VideoFrames);
        Assert.Equal(Enumerable.Range(0, 38).Select(k => k * 1920L), sink.Video.Select(f => f.MediaTimestamp));
        Assert.All(sink.Video, f => Assert.Equal((16, 16), (f.Width, f.Height)));
        Assert.Equal(audio, sink.Audio.ToArray());
        Assert.Equal(0, result.FilledFrames);
        Assert.Equal(0, result.FilledAudioSamples);
        Assert.Equal(0, result.Stats.LateFrames);
        // Speech drove the face: the frames are audio frames, rendered at full quality (rendering costs no media time).
        Assert.True(result.Stats.Frames(FrameKind.Audio) >= 34, $"audio frames {result.Stats.Frames(FrameKind.Audio)}");
        Assert.All(renderer.Batches.SelectMany(b => b), r => Assert.Equal(RenderQuality.Full, r.Quality));
    }

    [Fact]
    public async Task RunAsync_TheFrameFollowsItsOwnAudio()
    {
        // Silence, then a loud second: the energy feature (painted into the frame by the fake renderer) rises with it.
        var audio = new short[96_000];
        for (var i = 48_000; i < audio.Length; i++)
        {
            audio[i] = (short)(20_000 * Math.Sin(2 * Math.PI * 200 * i / 48_000.0));
        }

        using var renderer = new FakeRenderer();
        var sink = new CollectingSink();

        await OfflinePipelineRunner.RunAsync(renderer, renderer.EncodePortrait("face", [], 0, 0), new EnergyFrontEnd(), null,
            new AveragingDecimator(), audio, sink, new OfflineRenderOptions { Session = new PipelineSessionOptions { SmoothingRadius = 0 } });

        Assert.Equal(50, sink.Video.Count);
        Assert.True(sink.Video[10].Y[0] < 40, $"silent frame luma {sink.Video[10].Y[0]}");
        Assert.True(sink.Video[40].Y[0] > 150, $"loud frame luma {sink.Video[40].Y[0]}");
    }

    [Fact]
    public async Task RunAsync_BasePose_IsAddedToEveryRequest()
    {
        using var renderer = new FakeRenderer();
        var pose = new HeadPose(0.3f, -0.1f, 0.05f);

        await OfflinePipelineRunner.RunAsync(renderer, renderer.EncodePortrait("face", [], 0, 0), new EnergyFrontEnd(), null,
            new AveragingDecimator(), Voice(9_600), new CollectingSink(),
            new OfflineRenderOptions { BasePose = pose, Session = new PipelineSessionOptions { IdleMotionDegrees = 0 } });

        var requests = renderer.Batches.SelectMany(b => b).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(pose, r.Pose));
    }

    [Fact]
    public async Task RunAsync_TwiceOverTheSameInput_SameFrames()
    {
        // Time moves only when the pipeline has settled, so thread timing cannot change what is rendered.
        var audio = Voice(48_000);
        var runs = new List<CollectingSink>();
        for (var run = 0; run < 2; run++)
        {
            using var renderer = new FakeRenderer();
            var sink = new CollectingSink();
            await OfflinePipelineRunner.RunAsync(renderer, renderer.EncodePortrait("face", [], 0, 0), new EnergyFrontEnd(), null,
                new AveragingDecimator(), audio, sink);
            runs.Add(sink);
        }

        Assert.Equal(25, runs[0].Video.Count);
        Assert.Equal(runs[0].Video.Select(f => f.Y[0]), runs[1].Video.Select(f => f.Y[0]));
        Assert.True(runs[0].Video.Select(f => f.Y[0]).Distinct().Count() > 3, "the frames follow the voice");
    }

    [Fact]
    public async Task RunAsync_RendererAlwaysFails_ThrowsInsteadOfWaitingForever()
    {
        using var renderer = new FakeRenderer { Throw = true };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OfflinePipelineRunner.RunAsync(renderer,
            renderer.EncodePortrait("face", [], 0, 0), new EnergyFrontEnd(), null, new AveragingDecimator(), Voice(9_600), new CollectingSink()));

        Assert.Contains("0 of 5 frames", error.Message);
    }

    [Fact]
    public async Task RunAsync_InvalidInput_Throws()
    {
        using var renderer = new FakeRenderer();
        var portrait = renderer.EncodePortrait("face", [], 0, 0);

        await Assert.ThrowsAsync<ArgumentException>(() => OfflinePipelineRunner.RunAsync(renderer, portrait, new EnergyFrontEnd(), null,
            new AveragingDecimator(), Array.Empty<short>(), new CollectingSink()));
        var error = await Assert.ThrowsAsync<ArgumentException>(() => OfflinePipelineRunner.RunAsync(renderer, portrait,
            new EnergyFrontEnd(), null, new AveragingDecimator(), Voice(960), new CollectingSink(),
            new OfflineRenderOptions { BasePose = new HeadPose(2f, 0, 0) }));
        Assert.Contains("yaw", error.Message);
    }

    [Fact]
    public async Task RunAsync_Cancelled_TearsDownAndThrows()
    {
        using var renderer = new FakeRenderer();
        using var cancellation = new CancellationTokenSource();
        var sink = new CollectingSink { AfterFrame = count => { if (count == 5) cancellation.Cancel(); } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => OfflinePipelineRunner.RunAsync(renderer,
            renderer.EncodePortrait("face", [], 0, 0), new EnergyFrontEnd(), null, new AveragingDecimator(), Voice(96_000), sink,
            cancellationToken: cancellation.Token));
        Assert.InRange(sink.Video.Count, 5, 10);
    }

    private static short[] Voice(int length)
    {
        var samples = new short[length];
        for (var i = 0; i < length; i++)
        {
            var t = i / 48_000.0;
            samples[i] = (short)(12_000 * (0.55 + (0.45 * Math.Sin(2 * Math.PI * 3 * t))) * Math.Sin(2 * Math.PI * 220 * t));
        }

        return samples;
    }

    private sealed class CollectingSink : IOfflineMediaSink
    {
        public List<VideoFrame> Video { get; } = [];

        public List<short> Audio { get; } = [];

        public Action<int>? AfterFrame { get; init; }

        public ValueTask WriteVideoAsync(VideoFrame frame, CancellationToken cancellationToken)
        {
            Video.Add(frame);
            AfterFrame?.Invoke(Video.Count);
            return ValueTask.CompletedTask;
        }

        public ValueTask WriteAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
        {
            Audio.AddRange(samples.ToArray());
            return ValueTask.CompletedTask;
        }
    }
}
