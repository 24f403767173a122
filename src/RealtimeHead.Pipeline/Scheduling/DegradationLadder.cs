namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>
/// The degradation ladder of one device (global, not per session: every session's frame is in the same batch, so a
/// batch's cost is shared and one rung for the batch is what the GPU can honour). Before each batch it steps down
/// while the predicted batch time breaks the budget (as many rungs as needed, at once), and after a batch that did
/// miss it steps down one more (never onto the last rung on one sample). It climbs back one rung at a time, after <c>recoveryTicks</c> consecutive ticks in which
/// the rung above is predicted to take under <c>recoveryFraction</c> of the budget (hysteresis: no flapping). On the
/// last rung nothing is rendered, so nothing is measured: after <c>probeTicks</c> there it tries the rung above anyway.
/// <para>
/// A climb that fails (the rung above steps down again before it has held <c>recoveryTicks</c>) blocks the next climb
/// for <c>climbBackoffTicks</c>, doubling with each consecutive failure up to 64 times (TCP-style backoff): the rung above
/// is predicted from the fresh figure of the current one, which cannot tell that the rung above does not fit, and each
/// failed try is a late frame. <see cref="Calibrate"/> starts the ladder on the best rung that fits measured figures.
/// </para>
/// Not thread-safe; the scheduler calls it under its lock.
/// </summary>
internal sealed class DegradationLadder
{
    private readonly double _budgetMs;
    private readonly double _recoveryFraction;
    private readonly int _recoveryTicks;
    private readonly int _probeTicks;
    private readonly int _climbBackoffTicks;
    private const int MaxBackoffDoublings = 6;
    private int _calmTicks;
    private int _ticksOnLastRung;
    private long _decisions;
    private long _climbedAt = long.MinValue;
    private DegradationLevel _climbedTo;
    private long _noClimbBefore;

    public DegradationLadder(TimeSpan budget, double recoveryFraction, int recoveryTicks, int probeTicks, int climbBackoffTicks = 125)
    {
        _budgetMs = budget.TotalMilliseconds;
        _recoveryFraction = recoveryFraction;
        _recoveryTicks = recoveryTicks;
        _probeTicks = probeTicks;
        _climbBackoffTicks = climbBackoffTicks;
    }

    public DegradationLevel Level { get; private set; }

    /// <summary>Steps taken down and up so far (for tests and logs).</summary>
    public int StepsDown { get; private set; }

    public int StepsUp { get; private set; }

    /// <summary>
    /// Whether the rung was just tried from the last rung, whose cost figure dates from before the pause: the scheduler
    /// lets the probe's measurement replace it (<see cref="RenderCostModel.Observe"/>), or one averaged-in fast sample
    /// would leave the figure over the budget and the ladder on the last rung for ever. Cleared by the next decision.
    /// </summary>
    public bool IsProbing { get; private set; }

    /// <summary>Consecutive climbs that did not hold (the backoff exponent).</summary>
    public int FailedClimbs { get; private set; }

    /// <summary>Decisions left before the ladder may climb again (0 when it may).</summary>
    public long ClimbBlockedFor => Math.Max(0, _noClimbBefore - _decisions);

    /// <summary>
    /// Puts the ladder on the best rung whose measured cost for <paramref name="batchSize"/> fits the budget, LowResolution at
    /// worst: never the last rung, which has no image to repeat before something was rendered (and one sample per rung
    /// does not stop rendering, as for <see cref="ObserveMiss"/>). A better rung measured over the budget counts as a
    /// failed climb: it is not tried for the backoff.
    /// </summary>
    public void Calibrate(int batchSize, RenderCostModel cost)
    {
        var level = DegradationLevel.Full;
        while (level < DegradationLevel.LowResolution && cost.Predict(level, batchSize) > _budgetMs)
        {
            level++;
        }

        Level = level;
        _calmTicks = 0;
        _ticksOnLastRung = 0;
        _climbedAt = long.MinValue;
        FailedClimbs = 0;
        _noClimbBefore = level > DegradationLevel.Full ? _decisions + _climbBackoffTicks : _decisions;
    }

    /// <summary>Chooses the rung for a batch of <paramref name="batchSize"/> frames; an empty batch changes nothing.</summary>
    public DegradationLevel Decide(int batchSize, RenderCostModel cost)
    {
        // An empty dispatch says nothing about the cost: with dispatch-when-ready most ticks find nothing due, and
        // counting them as calm climbed (or probed from the last rung) on a batch that never rendered.
        if (batchSize <= 0)
        {
            return Level;
        }

        _decisions++;
        IsProbing = false;
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
            IsProbing = true;
            return Level;
        }

        if (_decisions < _noClimbBefore)
        {
            _calmTicks = 0;
            return Level;
        }

        _calmTicks = cost.PredictStepUp(Level, batchSize) <= _recoveryFraction * _budgetMs ? _calmTicks + 1 : 0;
        if (_calmTicks >= _recoveryTicks)
        {
            StepUp();
            _climbedAt = _decisions;
            _climbedTo = Level;
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
        if (_climbedAt != long.MinValue && Level == _climbedTo)
        {
            if (_decisions - _climbedAt < _recoveryTicks)
            {
                // The climb did not hold: back off, doubling.
                FailedClimbs = Math.Min(FailedClimbs + 1, MaxBackoffDoublings + 1);
                _noClimbBefore = _decisions + ((long)_climbBackoffTicks << (FailedClimbs - 1));
            }
            else
            {
                FailedClimbs = 0;
            }

            _climbedAt = long.MinValue;
        }

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
