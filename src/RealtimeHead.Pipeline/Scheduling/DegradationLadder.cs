namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>
/// The degradation ladder of one device (global, not per session: every session's frame is in the same batch, so a
/// batch's cost is shared and one rung for the batch is what the GPU can honour). Before each batch it steps down
/// while the predicted batch time breaks the budget (as many rungs as needed, at once), and after a batch that did
/// miss it steps down one more (never onto the last rung on one sample). It climbs back one rung at a time, after <c>recoveryTicks</c> consecutive ticks in which
/// the rung above is predicted to take under <c>recoveryFraction</c> of the budget (hysteresis: no flapping). On the
/// last rung nothing is rendered, so nothing is measured: after <c>probeTicks</c> there it tries the rung above anyway.
/// Not thread-safe; the scheduler calls it under its lock.
/// </summary>
internal sealed class DegradationLadder
{
    private readonly double _budgetMs;
    private readonly double _recoveryFraction;
    private readonly int _recoveryTicks;
    private readonly int _probeTicks;
    private int _calmTicks;
    private int _ticksOnLastRung;

    public DegradationLadder(TimeSpan budget, double recoveryFraction, int recoveryTicks, int probeTicks)
    {
        _budgetMs = budget.TotalMilliseconds;
        _recoveryFraction = recoveryFraction;
        _recoveryTicks = recoveryTicks;
        _probeTicks = probeTicks;
    }

    public DegradationLevel Level { get; private set; }

    /// <summary>Steps taken down and up so far (for tests and logs).</summary>
    public int StepsDown { get; private set; }

    public int StepsUp { get; private set; }

    /// <summary>Chooses the rung for a batch of <paramref name="batchSize"/> frames.</summary>
    public DegradationLevel Decide(int batchSize, RenderCostModel cost)
    {
        var steppedDown = false;
        while (Level < DegradationLevel.RepeatLastFrame && cost.Predict(Level, batchSize) > _budgetMs)
        {
            StepDown();
            steppedDown = true;
        }

        if (steppedDown || Level == DegradationLevel.Full)
        {
            return Level;
        }

        if (Level == DegradationLevel.RepeatLastFrame && ++_ticksOnLastRung >= _probeTicks)
        {
            StepUp();
            return Level;
        }

        _calmTicks = cost.PredictStepUp(Level, batchSize) <= _recoveryFraction * _budgetMs ? _calmTicks + 1 : 0;
        if (_calmTicks >= _recoveryTicks)
        {
            StepUp();
        }

        return Level;
    }

    /// <summary>
    /// Notes a batch rendered at <paramref name="level"/> that took longer than the budget: one rung down, but never onto
    /// the last one. A single late batch is often a hiccup (another process on the GPU or CPU); stopping rendering
    /// altogether takes the averaged cost predicting a miss, not one sample.
    /// </summary>
    public void ObserveMiss(DegradationLevel level)
    {
        if (level == Level && Level < DegradationLevel.LowResolution)
        {
            StepDown();
        }
    }

    private void StepDown()
    {
        Level++;
        StepsDown++;
        _calmTicks = 0;
        _ticksOnLastRung = 0;
    }

    private void StepUp()
    {
        Level--;
        StepsUp++;
        _calmTicks = 0;
        _ticksOnLastRung = 0;
    }
}
