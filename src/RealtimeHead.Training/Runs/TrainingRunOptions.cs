using RealtimeHead.Model;
using RealtimeHead.Model.Training;

namespace RealtimeHead.Training.Runs;

/// <summary>Settings of <see cref="TrainingRun"/> (<c>realtimehead train</c>).</summary>
public sealed record TrainingRunOptions
{
    /// <summary>The corpus directory (docs/dataset-format.md). Required.</summary>
    public required string CorpusDirectory { get; init; }

    /// <summary>Where checkpoints, curves and validation renders go (created if needed). Required.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Model sizes and loss weights. Default <see cref="S3DNeRFConfig.Tiny"/>.</summary>
    public S3DNeRFConfig Config { get; init; } = S3DNeRFConfig.Tiny;

    /// <summary>Optimisation settings; the seed is replaced by <see cref="Seed"/>. Default: the trainer's defaults.</summary>
    public S3DNeRFTrainerOptions Trainer { get; init; } = new();

    /// <summary>Lip-sync discriminator weights from <c>realtimehead train sync</c>; null = untrained (a warning is logged).</summary>
    public string? SyncWeights { get; init; }

    /// <summary>VGG19 features weights (safetensors) for L_per; null = the documented substitute.</summary>
    public string? PerceptualWeights { get; init; }

    /// <summary>Train until this step. Default 1000; in [1, 10^9].</summary>
    public long Steps { get; init; } = 1000;

    /// <summary>B: clips per batch. Default 1; in [1, 256].</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>Save a checkpoint every N steps (and at the last step). Default 500; ≥ 1.</summary>
    public long CheckpointEvery { get; init; } = 500;

    /// <summary>Checkpoints kept (oldest deleted first). Default 3; ≥ 1.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Render held-out clips every N steps (and at the last step); 0 = never. Default 500.</summary>
    public long ValidateEvery { get; init; } = 500;

    /// <summary>Validation clips in the PNG grid. Default 2; in [1, 16].</summary>
    public int ValidationClips { get; init; } = 2;

    /// <summary>Length of the validation mp4 in seconds; 0 = no video. Default 4; in [0, 60].</summary>
    public double ValidationVideoSeconds { get; init; } = 4;

    /// <summary>The ffmpeg executable for validation videos. Default "ffmpeg" (from PATH).</summary>
    public string Ffmpeg { get; init; } = "ffmpeg";

    /// <summary>Fraction of identities held out for validation. Default 0.1; in [0, 0.9].</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Continue from the latest checkpoint in the output directory (starts fresh when there is none).</summary>
    public bool Resume { get; init; }

    /// <summary>Seed of the initialisation, the split and the batches. A resumed run keeps the checkpoint's. Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>Every out-of-range setting, each naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(CorpusDirectory)) errors.Add("CorpusDirectory is required");
        if (string.IsNullOrWhiteSpace(OutputDirectory)) errors.Add("OutputDirectory is required");
        if (Steps is < 1 or > 1_000_000_000) errors.Add($"Steps {Steps} must be in [1, 1000000000]");
        if (BatchSize is < 1 or > 256) errors.Add($"BatchSize {BatchSize} must be in [1, 256]");
        if (CheckpointEvery < 1) errors.Add($"CheckpointEvery {CheckpointEvery} must be at least 1");
        if (KeepCheckpoints < 1) errors.Add($"KeepCheckpoints {KeepCheckpoints} must be at least 1");
        if (ValidateEvery < 0) errors.Add($"ValidateEvery {ValidateEvery} must be 0 (never) or positive");
        if (ValidationClips is < 1 or > 16) errors.Add($"ValidationClips {ValidationClips} must be in [1, 16]");
        if (!(ValidationVideoSeconds >= 0 && ValidationVideoSeconds <= 60)) errors.Add($"ValidationVideoSeconds {ValidationVideoSeconds} must be in [0, 60]");
        if (!(ValidationFraction >= 0 && ValidationFraction <= 0.9)) errors.Add($"ValidationFraction {ValidationFraction} must be in [0, 0.9]");
        if (SyncWeights is not null && !File.Exists(SyncWeights)) errors.Add($"SyncWeights '{SyncWeights}' does not exist");
        if (PerceptualWeights is not null && !File.Exists(PerceptualWeights)) errors.Add($"PerceptualWeights '{PerceptualWeights}' does not exist");
        errors.AddRange(Config.Validate());
        return errors;
    }
}
