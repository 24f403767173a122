namespace RealtimeHead.Torch.Benchmarks;

/// <summary>Median, interquartile range and minimum of seconds-per-operation samples (the same code summarises both sides).</summary>
internal readonly record struct Statistics(double Median, double P25, double P75, double Min, int Count)
{
    /// <summary>Interquartile range relative to the median: how much the samples disagree.</summary>
    public double RelativeSpread => Median > 0 ? (P75 - P25) / Median : 0;

    public static Statistics Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) throw new ArgumentException("no samples", nameof(samples));
        var sorted = samples.Order().ToArray();
        return new Statistics(Quantile(sorted, 0.5), Quantile(sorted, 0.25), Quantile(sorted, 0.75), sorted[0], sorted.Length);
    }

    // Linear interpolation between closest ranks (numpy's default "linear" method).
    private static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
