namespace RealtimeHead.Pipeline.Tests;

public sealed class PipelineSessionOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoProblems() => Assert.Empty(new PipelineSessionOptions().Validate());

    [Fact]
    public void Validate_EveryValueOutOfRange_AllListedAtOnce()
    {
        var errors = new PipelineSessionOptions
        {
            AudioWindowFrames = 15, LookaheadFeatureFrames = -1, SmoothingRadius = 5, VoiceThreshold = 1, EnergyThresholdDbfs = 3,
            VoiceHangover = TimeSpan.FromSeconds(3), VoicePreroll = TimeSpan.FromSeconds(1), IdleMotionDegrees = 20,
            StarvationGrace = TimeSpan.FromSeconds(-1), MinAvDelay = TimeSpan.FromSeconds(2), MaxAvDelay = TimeSpan.FromSeconds(1),
            InitialAvDelay = TimeSpan.FromSeconds(9), AvDelayMargin = TimeSpan.FromSeconds(1), AvDelayDecayPerFrame = TimeSpan.FromSeconds(1),
            AvDelayWindowFrames = 0, InboundQueueCapacity = 1, FeatureQueueCapacity = 1, PendingFrameCapacity = 0,
            OutputQueueCapacity = 0, AudioOutQueueCapacity = 1, FlushTimeout = TimeSpan.Zero,
        }.Validate();

        Assert.Equal(20, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("AudioWindowFrames is 15; use an even number", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("MinAvDelay (2000 ms) exceeds MaxAvDelay (1000 ms)", StringComparison.Ordinal));
    }

    [Fact]
    public void ThrowIfInvalid_Invalid_ThrowsWithTheProblems()
    {
        var error = Assert.Throws<ArgumentException>(() => new PipelineSessionOptions { PendingFrameCapacity = 0 }.ThrowIfInvalid());

        Assert.Contains("PendingFrameCapacity is 0; use 1-64 (default 3).", error.Message);
    }
}
