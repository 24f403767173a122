namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>
/// Predicts how long a batch takes: an exponentially weighted mean of measured render time per (rung, batch size).
/// A size never measured is estimated from the nearest measured size (proportionally when larger, which overestimates
/// the fixed part: the safe side); a rung never measured from the rung above times
/// <c>unmeasuredRatio</c>. Before any measurement it predicts zero: the first batches are the measurement.
/// Not thread-safe; the scheduler calls it under its lock.
/// </summary>
internal sealed class RenderCostModel
{
    private readonly double _alpha;
    private readonly double _unmeasuredRatio;
    private readonly double?[,] _ewma;

    public RenderCostModel(int maxBatchSize, double alpha, double unmeasuredRatio)
    {
        _alpha = alpha;
        _unmeasuredRatio = unmeasuredRatio;
        _ewma = new double?[3, maxBatchSize + 1];
    }

    public int MaxBatchSize => _ewma.GetLength(1) - 1;

    /// <summary>Feeds a measured batch; <paramref name="replace"/> drops the old average (it is stale).</summary>
    public void Observe(DegradationLevel level, int batchSize, double milliseconds, bool replace = false)
    {
        if (level == DegradationLevel.RepeatLastFrame || batchSize <= 0)
        {
            return;
        }

        var size = Math.Min(batchSize, MaxBatchSize);
        ref var slot = ref _ewma[(int)level, size];
        slot = slot is { } old && !replace ? old + (_alpha * (milliseconds - old)) : milliseconds;
    }

    /// <summary>Predicted milliseconds of a batch of <paramref name="batchSize"/> at <paramref name="level"/>.</summary>
    public double Predict(DegradationLevel level, int batchSize)
    {
        if (level == DegradationLevel.RepeatLastFrame || batchSize <= 0)
        {
            return 0;
        }

        var measured = PredictMeasured((int)level, batchSize);
        if (measured is { } value)
        {
            return value;
        }

        // Unmeasured rung: derive it from the nearest better rung that has data.
        for (var better = (int)level - 1; better >= 0; better--)
        {
            if (PredictMeasured(better, batchSize) is { } above)
            {
                return above * Math.Pow(_unmeasuredRatio, (int)level - better);
            }
        }

        // Or from a worse rung (scaled up) when only that one was ever measured.
        for (var worse = (int)level + 1; worse < 3; worse++)
        {
            if (PredictMeasured(worse, batchSize) is { } below)
            {
                return below / Math.Pow(_unmeasuredRatio, worse - (int)level);
            }
        }

        return 0;
    }

    /// <summary>
    /// Prediction for stepping up from <paramref name="current"/> to the rung above: the stored figure of that rung may
    /// date from the overload that pushed us down, so it is capped by the fresh figure of the current rung scaled up.
    /// </summary>
    public double PredictStepUp(DegradationLevel current, int batchSize)
    {
        var up = current - 1;
        var stored = Predict(up, batchSize);
        if (current == DegradationLevel.RepeatLastFrame || PredictMeasured((int)current, batchSize) is not { } fresh)
        {
            return stored;
        }

        return Math.Min(stored, fresh / _unmeasuredRatio);
    }

    private double? PredictMeasured(int level, int batchSize)
    {
        var size = Math.Min(batchSize, MaxBatchSize);
        if (_ewma[level, size] is { } exact)
        {
            return exact * batchSize / size;
        }

        for (var distance = 1; distance <= MaxBatchSize; distance++)
        {
            if (size - distance >= 1 && _ewma[level, size - distance] is { } smaller)
            {
                return smaller * size / (size - distance);
            }

            if (size + distance <= MaxBatchSize && _ewma[level, size + distance] is { } larger)
            {
                return larger;
            }
        }

        return null;
    }
}
