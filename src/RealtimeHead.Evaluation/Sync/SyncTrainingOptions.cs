namespace RealtimeHead.Evaluation.Sync;

/// <summary>Options of <see cref="SyncTraining"/>.</summary>
public sealed record SyncTrainingOptions
{
    /// <summary>Optimiser steps, in [1, 1,000,000] (default 4000).</summary>
    public int Steps { get; init; } = 4000;

    /// <summary>Video windows per step, each scored against its aligned audio and <see cref="Negatives"/> shifted ones, in [2, 1024] (default 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Adam learning rate, in (0, 1] (default 5e-4).</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>
    /// Shifted audio windows (false candidates) per video window, in [1, 64] (default 4). More make each step a harder
    /// choice at little cost: the audio stream is small next to the video stream.
    /// </summary>
    public int Negatives { get; init; } = 4;

    /// <summary>
    /// τ of the matching softmax over cos / τ, in [0.01, 1] (default 0.1). Cosines lie in [−1, 1]; without the division the
    /// softmax over 1 + <see cref="Negatives"/> candidates could never become confident, so the loss would keep pulling.
    /// </summary>
    public double Temperature { get; init; } = 0.1;

    /// <summary>Smallest audio shift of a false candidate in frames, in [1, 15] (default 3): closer shifts overlap the genuine window too much.</summary>
    public int MinFalseShift { get; init; } = 3;

    /// <summary>Largest audio shift of a false candidate in frames, in [MinFalseShift, 100] (default 15, the evaluation's search range).</summary>
    public int MaxFalseShift { get; init; } = 15;

    /// <summary>
    /// Seed (default 4242). Keep it different from the generator trainer's seed, and train on a corpus generated with
    /// another seed than the generator's, so the evaluation network shares neither initialisation nor people with the
    /// lip-sync discriminator.
    /// </summary>
    public int Seed { get; init; } = 4242;

    /// <summary>Every problem, each naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Steps is < 1 or > 1_000_000) errors.Add($"Steps must be in [1, 1000000], got {Steps}");
        if (BatchSize is < 2 or > 1024) errors.Add($"BatchSize must be in [2, 1024], got {BatchSize}");
        if (!(LearningRate > 0 && LearningRate <= 1)) errors.Add($"LearningRate must be in (0, 1], got {LearningRate}");
        if (Negatives is < 1 or > 64) errors.Add($"Negatives must be in [1, 64], got {Negatives}");
        if (!(Temperature >= 0.01 && Temperature <= 1)) errors.Add($"Temperature must be in [0.01, 1], got {Temperature}");
        if (MinFalseShift is < 1 or > 15) errors.Add($"MinFalseShift must be in [1, 15], got {MinFalseShift}");
        if (MaxFalseShift < MinFalseShift || MaxFalseShift > 100) errors.Add($"MaxFalseShift must be in [MinFalseShift, 100], got {MaxFalseShift}");
        return errors;
    }
}
