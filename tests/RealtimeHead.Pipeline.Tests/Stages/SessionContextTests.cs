using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Stages;
using RealtimeHead.Pipeline.Sync;

namespace RealtimeHead.Pipeline.Tests.Stages;

public sealed class SessionContextTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(17);
    private readonly PipelineMetrics _metrics = new();

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public async Task WaitUntilAsync_ClockMovesBetweenReadAndTimer_SettledUntilTheTimerFiresThenWakes()
    {
        // Issue #6: another thread (the fake renderer) advanced the clock 20 ms between the stage reading "now" and
        // creating its relative timer, so the timer falls due 20 ms after the deadline the stage asked for. Judged by
        // that deadline, the stage looked unsettled from the deadline on while its timer had not fired: the test driver
        // waited for it to settle and never moved the clock again.
        var time = new ClockMovingOnTimerCreation(_clock, TimeSpan.FromMilliseconds(20));
        var context = CreateContext(time);
        var start = _clock.GetTimestamp();
        var deadline = start + Ms(50);

        var wait = context.WaitUntilAsync(PipelineStage.AudioOut, deadline).AsTask();
        _clock.Advance(TimeSpan.FromMilliseconds(35)); // now start + 55: past the deadline, before the timer (start + 70)

        Assert.False(wait.IsCompleted);
        Assert.Equal(deadline, context.Activity.ParkedUntil(PipelineStage.AudioOut));
        Assert.True(context.Activity.IsSettled()); // nothing can happen until the clock moves: the driver may move it

        _clock.Advance(TimeSpan.FromMilliseconds(15)); // start + 70: the timer fires
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, context.Activity.ParkedUntil(PipelineStage.AudioOut));
    }

    [Fact]
    public async Task WaitUntilAsync_TimerFiredButStageNotYetRun_NotSettled()
    {
        var context = CreateContext(_clock);
        var activity = context.Activity;
        var fired = new TaskCompletionSource();

        activity.MarkParked(PipelineStage.Send, _clock.GetTimestamp() + Ms(10), fired.Task);
        Assert.True(activity.IsSettled());
        fired.SetResult(); // the continuation that marks the stage busy has not run yet

        Assert.False(activity.IsSettled());
        activity.MarkBusy(PipelineStage.Send);
        Assert.False(activity.IsSettled());
        activity.MarkIdle(PipelineStage.Send);
        Assert.True(activity.IsSettled());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task WaitUntilAsync_FlushDuringWait_ReturnsFalseAndUnparks()
    {
        var context = CreateContext(_clock);
        var wait = context.WaitUntilAsync(PipelineStage.AudioOut, _clock.GetTimestamp() + Ms(100)).AsTask();
        Assert.True(context.Activity.IsSettled());

        context.BeginFlush();

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, context.Activity.ParkedUntil(PipelineStage.AudioOut));
    }

    private SessionContext CreateContext(TimeProvider time)
    {
        var options = new PipelineSessionOptions();
        var clock = new PlayoutClock(time, time.GetTimestamp(), options.InitialAvDelay, options.MinAvDelay, options.MaxAvDelay,
            options.AvDelayMargin, options.AvDelayWindowFrames, options.AvDelayDecayPerFrame);
        return new SessionContext("s", time, _metrics, options, clock, NullLogger.Instance, CancellationToken.None);
    }

    private long Ms(double milliseconds) => (long)(milliseconds * _clock.TimestampFrequency / 1000);

    /// <summary>A fake clock on which every new timer finds the clock moved on by <paramref name="jump"/> since it was read.</summary>
    private sealed class ClockMovingOnTimerCreation(FakeTimeProvider inner, TimeSpan jump) : TimeProvider
    {
        public override long TimestampFrequency => inner.TimestampFrequency;

        public override long GetTimestamp() => inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            inner.Advance(jump);
            return inner.CreateTimer(callback, state, dueTime, period);
        }
    }
}
