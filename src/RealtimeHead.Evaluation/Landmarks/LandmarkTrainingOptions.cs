namespace RealtimeHead.Evaluation.Landmarks;

/// <summary>Options of <see cref="LandmarkTraining"/>.</summary>
public sealed record LandmarkTrainingOptions
{
    /// <summary>Optimiser steps, in [1, 1,000,000] (default 3000).</summary>
    public int Steps { get; init; } = 3000;

    /// <summary>Crops per step, in [1, 1024] (default 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam learning rate, in (0, 1] (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Random box shift and scale, as a fraction of the box side, in [0, 0.5] (default 0.1): the net must find the face, not read the box.</summary>
    public double BoxJitter { get; init; } = 0.1;

    /// <summary>Side in pixels of the square frames the reported errors are measured at, in [16, 4096] (default 128, the Tiny model's output).</summary>
    public int ReportResolution { get; init; } = 128;

    /// <summary>Most frames of the held-out identities the error is measured on, in [1, 100,000] (default 500, spread evenly).</summary>
    public int MaxReportFrames { get; init; } = 500;

    /// <summary>Seed of the initialisation and the sampling (default 1234).</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>Every problem, each naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Steps is < 1 or > 1_000_000) errors.Add($"Steps must be in [1, 1000000], got {Steps}");
        if (BatchSize is < 1 or > 1024) errors.Add($"BatchSize must be in [1, 1024], got {BatchSize}");
        if (!(LearningRate > 0 && LearningRate <= 1)) errors.Add($"LearningRate must be in (0, 1], got {LearningRate}");
        if (!(BoxJitter >= 0 && BoxJitter <= 0.5)) errors.Add($"BoxJitter must be in [0, 0.5], got {BoxJitter}");
        if (ReportResolution is < 16 or > 4096) errors.Add($"ReportResolution must be in [16, 4096], got {ReportResolution}");
        if (MaxReportFrames is < 1 or > 100_000) errors.Add($"MaxReportFrames must be in [1, 100000], got {MaxReportFrames}");
        return errors;
    }
}
