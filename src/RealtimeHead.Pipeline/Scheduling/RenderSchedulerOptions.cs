using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>Settings of the <see cref="RenderScheduler"/> of one device.</summary>
public sealed record RenderSchedulerOptions
{
    /// <summary>Frame ticks per second; every session's video runs at this rate. Default 25; range 1-60, dividing 48 000.</summary>
    public int FrameRate { get; init; } = 25;

    /// <summary>
    /// Time one batch may take to render, measured on the render thread: the frame interval minus what conversion
    /// and scheduling need. Default 35 ms (of 40 ms at 25 fps); range 1 ms to one frame interval.
    /// </summary>
    public TimeSpan RenderBudget { get; init; } = TimeSpan.FromMilliseconds(35);

    /// <summary>Most frames in one batch; more due frames wait for the next tick, oldest deadline first. Default 8; range 1-256.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>Most sessions admitted. Default 16; range 1-4096.</summary>
    public int MaxSessions { get; init; } = 16;

    /// <summary>
    /// Rung at which a new session must still fit the budget to be admitted (with one more frame per batch).
    /// Default <see cref="RenderQuality.Full"/>: a new session never pushes the others down the ladder. The first session
    /// (none other rendering) is always admitted.
    /// </summary>
    public RenderQuality AdmissionQuality { get; init; } = RenderQuality.Full;

    /// <summary>
    /// Fraction of the budget the rung above must be predicted to stay under before the ladder climbs. Default 0.7;
    /// range 0.1-0.95.
    /// </summary>
    public double RecoveryFraction { get; init; } = 0.7;

    /// <summary>Consecutive calm ticks before the ladder climbs one rung. Default 25 (1 s); range 1-10 000.</summary>
    public int RecoveryTicks { get; init; } = 25;

    /// <summary>Ticks on the last rung (nothing rendered, nothing measured) before trying the rung above. Default 25 (1 s); range 1-10 000.</summary>
    public int RepeatProbeTicks { get; init; } = 25;

    /// <summary>Weight of a new measurement in the render-cost average. Default 0.2; range 0.01-1.</summary>
    public double CostSmoothing { get; init; } = 0.2;

    /// <summary>Assumed cost of a rung never measured relative to the rung above. Default 0.6; range 0.05-1.</summary>
    public double UnmeasuredRungCostRatio { get; init; } = 0.6;

    /// <summary>
    /// Whether a batch starts between ticks as soon as every session has a frame waiting and the render thread is idle
    /// (and when a batch ends with such frames waiting). A full batch gains nothing by waiting, and the wait for the tick
    /// (up to one frame interval, since a session's audio is not in phase with the tick) is mouth-to-wire latency.
    /// Default true; false renders on ticks only.
    /// </summary>
    public bool DispatchWhenReady { get; init; } = true;

    /// <summary>
    /// Ticks a failed climb (the rung above missed the budget before it had held <see cref="RecoveryTicks"/>) blocks the
    /// next one, doubling after each further failure up to 64 times: a rung that does not fit is not tried once a second,
    /// each try a late frame that holds the voice delay up for seconds. Default 125 (5 s; at most 64 × that, 5 min 20 s);
    /// range 1-100 000.
    /// </summary>
    public int ClimbBackoffTicks { get; init; } = 125;

    /// <summary>How long disposal waits for the render thread to finish its batch. Default 2 s; range 0-60 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Time between ticks.</summary>
    public TimeSpan FrameInterval => TimeSpan.FromTicks(TimeSpan.TicksPerSecond / FrameRate);

    /// <summary>Lists every problem; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (FrameRate is < 1 or > 60 || 48_000 % FrameRate != 0)
        {
            errors.Add($"{nameof(FrameRate)} is {FrameRate}; use 1-60 frames/s dividing 48 000 (default 25).");
        }

        var interval = FrameRate is >= 1 and <= 60 ? FrameInterval : TimeSpan.FromMilliseconds(40);
        if (RenderBudget < TimeSpan.FromMilliseconds(1) || RenderBudget > interval)
        {
            errors.Add($"{nameof(RenderBudget)} is {RenderBudget.TotalMilliseconds} ms; use 1 ms to one frame interval " +
                $"({interval.TotalMilliseconds} ms) (default 35 ms).");
        }

        if (MaxBatchSize is < 1 or > 256)
        {
            errors.Add($"{nameof(MaxBatchSize)} is {MaxBatchSize}; use 1-256 (default 8).");
        }

        if (MaxSessions is < 1 or > 4096)
        {
            errors.Add($"{nameof(MaxSessions)} is {MaxSessions}; use 1-4096 (default 16).");
        }

        if (!Enum.IsDefined(AdmissionQuality))
        {
            errors.Add($"{nameof(AdmissionQuality)} is {AdmissionQuality}; use Full, NoSuperResolution or LowResolution (default Full).");
        }

        if (double.IsNaN(RecoveryFraction) || RecoveryFraction is < 0.1 or > 0.95)
        {
            errors.Add($"{nameof(RecoveryFraction)} is {RecoveryFraction}; use 0.1-0.95 (default 0.7).");
        }

        if (RecoveryTicks is < 1 or > 10_000)
        {
            errors.Add($"{nameof(RecoveryTicks)} is {RecoveryTicks}; use 1-10 000 (default 25).");
        }

        if (RepeatProbeTicks is < 1 or > 10_000)
        {
            errors.Add($"{nameof(RepeatProbeTicks)} is {RepeatProbeTicks}; use 1-10 000 (default 25).");
        }

        if (ClimbBackoffTicks is < 1 or > 100_000)
        {
            errors.Add($"{nameof(ClimbBackoffTicks)} is {ClimbBackoffTicks}; use 1-100 000 (default 125).");
        }

        if (double.IsNaN(CostSmoothing) || CostSmoothing is < 0.01 or > 1)
        {
            errors.Add($"{nameof(CostSmoothing)} is {CostSmoothing}; use 0.01-1 (default 0.2).");
        }

        if (double.IsNaN(UnmeasuredRungCostRatio) || UnmeasuredRungCostRatio is < 0.05 or > 1)
        {
            errors.Add($"{nameof(UnmeasuredRungCostRatio)} is {UnmeasuredRungCostRatio}; use 0.05-1 (default 0.6).");
        }

        if (ShutdownTimeout < TimeSpan.Zero || ShutdownTimeout > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{nameof(ShutdownTimeout)} is {ShutdownTimeout}; use 0-60 s (default 2 s).");
        }

        return errors;
    }

    /// <summary>Throws listing every problem at once.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(RenderSchedulerOptions)}: {string.Join(" ", errors)}");
        }
    }
}
