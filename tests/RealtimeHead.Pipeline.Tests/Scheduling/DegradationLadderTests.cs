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

    [Fact]
    public void Decide_ClimbFailsEveryTime_TriesAgainAfterDoublingBackoff()
    {
        // LowResolution costs 10 ms; the rung above really costs 48 ms (> 35), but predicted from the fresh 10 ms it
        // looks like 16.7 ms, calm. Each try is one late frame; the tries must thin out: backoff 4, 8, 16 decisions.
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 1, 67);
        model.Observe(DegradationLevel.NoSuperResolution, 1, 48);
        model.Observe(DegradationLevel.LowResolution, 1, 10);
        var ladder = new DegradationLadder(Budget, 0.7, 3, 100, climbBackoffTicks: 4);
        ladder.Calibrate(1, model);
        Assert.Equal(DegradationLevel.LowResolution, ladder.Level);
        Assert.Equal(4, ladder.ClimbBlockedFor);

        var climbs = new List<int>();
        for (var decision = 1; decision <= 45; decision++)
        {
            if (ladder.Decide(1, model) == DegradationLevel.NoSuperResolution)
            {
                climbs.Add(decision);
                ladder.ObserveMiss(DegradationLevel.NoSuperResolution); // the try took 48 ms
            }
        }

        Assert.Equal([6, 12, 22, 40], climbs);
        Assert.Equal(4, ladder.FailedClimbs);
        Assert.Equal(DegradationLevel.LowResolution, ladder.Level);
    }

    [Fact]
    public void Decide_ClimbHolds_NextStepDownDoesNotBackOff()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.NoSuperResolution, 1, 20);
        model.Observe(DegradationLevel.Full, 1, 60);
        var ladder = new DegradationLadder(Budget, 0.7, 2, 100, climbBackoffTicks: 10);
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(1, model));

        model.Observe(DegradationLevel.Full, 1, 15); // the load dropped: Full fits
        ladder.Decide(1, model);
        Assert.Equal(DegradationLevel.Full, ladder.Decide(1, model));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(DegradationLevel.Full, ladder.Decide(1, model)); // held longer than the recovery streak
        }

        ladder.ObserveMiss(DegradationLevel.Full); // a later overload: a new situation, not a failed climb

        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Level);
        Assert.Equal(0, ladder.FailedClimbs);
        Assert.Equal(0, ladder.ClimbBlockedFor);
    }

    [Fact]
    public void Calibrate_NothingFits_StartsAtLowResolutionNotTheLastRung()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 1, 300);
        model.Observe(DegradationLevel.NoSuperResolution, 1, 200);
        model.Observe(DegradationLevel.LowResolution, 1, 100);
        var ladder = new DegradationLadder(Budget, 0.7, 3, 10);

        ladder.Calibrate(1, model);

        Assert.Equal(DegradationLevel.LowResolution, ladder.Level);
    }

    [Fact]
    public void Calibrate_FullFits_StartsAtFullWithoutBackoff()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 1, 20);
        var ladder = new DegradationLadder(Budget, 0.7, 3, 10);
        ladder.ObserveMiss(DegradationLevel.Full);

        ladder.Calibrate(1, model);

        Assert.Equal(DegradationLevel.Full, ladder.Level);
        Assert.Equal(0, ladder.ClimbBlockedFor);
    }

    [Fact]
    public void Decide_EmptyBatches_NeitherCountAsCalmNorProbe()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 1, 60);
        model.Observe(DegradationLevel.NoSuperResolution, 1, 10);
        var ladder = new DegradationLadder(Budget, 0.7, 3, 3);
        Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(1, model));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(DegradationLevel.NoSuperResolution, ladder.Decide(0, model)); // Full predicted 0 ms for no frames
        }

        model.Observe(DegradationLevel.LowResolution, 1, 100);
        model.Observe(DegradationLevel.NoSuperResolution, 1, 100);
        Assert.Equal(DegradationLevel.RepeatLastFrame, ladder.Decide(1, model));
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(DegradationLevel.RepeatLastFrame, ladder.Decide(0, model));
        }

        Assert.Equal(0, ladder.StepsUp);
        Assert.False(ladder.IsProbing);
    }
}
