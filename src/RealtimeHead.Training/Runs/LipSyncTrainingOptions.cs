using RealtimeHead.Model;

namespace RealtimeHead.Training.Runs;

/// <summary>Settings of <see cref="LipSyncTrainingRun"/> (<c>realtimehead train sync</c>).</summary>
public sealed record LipSyncTrainingOptions
{
    /// <summary>The corpus directory. Required.</summary>
    public required string CorpusDirectory { get; init; }

    /// <summary>Where <see cref="LipSyncTrainingRun.WeightsFile"/> and the loss curve go (created if needed). Required.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The S3D-NeRF config the discriminator will serve (T, image size → crop size, audio features, widths). Default Tiny.</summary>
    public S3DNeRFConfig Config { get; init; } = S3DNeRFConfig.Tiny;

    /// <summary>Optimisation steps. Default 2000; in [1, 10^9].</summary>
    public long Steps { get; init; } = 2000;

    /// <summary>Triplets per step. Default 8; in [1, 256].</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Adam learning rate. Default 1e-4 (Wav2Lip's SyncNet); in (0, 1].</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Negatives are the same clip's audio (and lips) shifted by at least this many frames. Default 5; in [1, 1000].</summary>
    public int MinimumShift { get; init; } = 5;

    /// <summary>Save the weights every N steps (and at the end). Default 500; ≥ 1.</summary>
    public long SaveEvery { get; init; } = 500;

    /// <summary>Fraction of identities held out to measure sync accuracy. Default 0.1; in [0, 0.9].</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Seed of the initialisation, split and sampling. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Every out-of-range setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(CorpusDirectory)) errors.Add("CorpusDirectory is required");
        if (string.IsNullOrWhiteSpace(OutputDirectory)) errors.Add("OutputDirectory is required");
        if (Steps is < 1 or > 1_000_000_000) errors.Add($"Steps {Steps} must be in [1, 1000000000]");
        if (BatchSize is < 1 or > 256) errors.Add($"BatchSize {BatchSize} must be in [1, 256]");
        if (!(LearningRate > 0 && LearningRate <= 1)) errors.Add($"LearningRate {LearningRate} must be in (0, 1]");
        if (MinimumShift is < 1 or > 1000) errors.Add($"MinimumShift {MinimumShift} must be in [1, 1000]");
        if (SaveEvery < 1) errors.Add($"SaveEvery {SaveEvery} must be at least 1");
        if (!(ValidationFraction >= 0 && ValidationFraction <= 0.9)) errors.Add($"ValidationFraction {ValidationFraction} must be in [0, 0.9]");
        errors.AddRange(Config.Validate());
        return errors;
    }
}
