using RealtimeHead.Pipeline.Scheduling;

namespace RealtimeHead.Pipeline.Tests.Scheduling;

public sealed class DegradationLadderTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(35);

    [Fact]
    public void Decide_PredictionOverBudget_StepsDownAsFarAsNeededAtOnce()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 4, 60);
        model.Observe(DegradationLevel.NoSuperResolution, 4, 40);
        model.Observe(DegradationLevel.LowResolution, 4, 20);
        var ladder = new DegradationLadder(Budget, 0.7, 3, 10);

        Assert.Equal(DegradationLevel.LowResolution, ladder.Decide(4, model));
        Assert.Equal(2, ladder.StepsDown);
    }

    [Fact]
    public void Decide_NothingFits_RepeatsLastFrame()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 4, 200);
        model.Observe(DegradationLevel.NoSuperResolution, 4, 150);
        model.Observe(DegradationLevel.LowResolution, 4, 100);

        Assert.Equal(DegradationLevel.RepeatLastFrame, new DegradationLadder(Budget, 0.7, 3, 10).Decide(4, model));
    }

    [Fact]
    public void Decide_LoadDrops_ClimbsOneRungPerCalmStreak()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 4, 60);
        model.Observe(DegradationLevel.NoSuperResolution, 4, 30);
        var ladder = new DegradationLadder(Budget, 0.7, 3, 10);
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(4, model));

        // Load drops to 2 frames per batch: Full predicted 30 ms, over 70 % of 35 ms: stays down.
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(2, model));
        model.Observe(DegradationLevel.Full, 1, 12);
        model.Observe(DegradationLevel.NoSuperResolution, 1, 8);
        // One frame per batch: Full predicted 12 ms < 24.5 ms for three ticks in a row, then up.
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(1, model));
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(1, model));
        Assert.Equal(DegradationLevel.Full, ladder.Decide(1, model));
        Assert.Equal(1, ladder.StepsUp);
    }

    [Fact]
    public void Decide_CalmStreakBroken_StartsCountingAgain()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 2, 50);
        model.Observe(DegradationLevel.Full, 1, 10);
        var ladder = new DegradationLadder(Budget, 0.7, 2, 10);
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(2, model));

        ladder.Decide(1, model); // calm 1
        ladder.Decide(2, model); // 2 frames: Full 50 ms, not calm
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(1, model)); // calm 1 again
        Assert.Equal(DegradationLevel.Full, ladder.Decide(1, model));
    }

    [Fact]
    public void ObserveMiss_AtCurrentRung_StepsDownOnce()
    {
        var ladder = new DegradationLadder(Budget, 0.7, 3, 10);
        ladder.ObserveMiss(DegradationLevel.Full);
        ladder.ObserveMiss(DegradationLevel.Full); // a second report of the same rung's batch does not double-step

        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Level);
    }

    [Fact]
    public void ObserveMiss_AtLowResolution_DoesNotStopRendering()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 2, 100);
        model.Observe(DegradationLevel.NoSuperResolution, 2, 50);
        model.Observe(DegradationLevel.LowResolution, 2, 20);
        var ladder = new DegradationLadder(Budget, 0.7, 3, 10);
        Assert.Equal(DegradationLevel.LowResolution, ladder.Decide(2, model));

        ladder.ObserveMiss(DegradationLevel.LowResolution);

        Assert.Equal(DegradationLevel.LowResolution, ladder.Level);
    }

    [Fact]
    public void Decide_OnLastRung_ProbesTheRungAboveAfterProbeTicks()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.LowResolution, 2, 100);
        var ladder = new DegradationLadder(Budget, 0.7, 100, 3);
        Assert.Equal(DegradationLevel.RepeatLastFrame, ladder.Decide(2, model));

        model.Observe(DegradationLevel.LowResolution, 2, 20); // nothing renders on the last rung; pretend the figure improved
        model.Observe(DegradationLevel.LowResolution, 2, 20);
        Assert.Equal(DegradationLevel.RepeatLastFrame, ladder.Decide(2, model));
        Assert.Equal(DegradationLevel.RepeatLastFrame, ladder.Decide(2, model));
        Assert.Equal(DegradationLevel.LowResolution, ladder.Decide(2, model));
    }
}
