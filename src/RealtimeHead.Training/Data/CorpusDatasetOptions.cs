using RealtimeHead.Model;

namespace RealtimeHead.Training.Data;

/// <summary>How <see cref="CorpusDataset"/> turns a corpus into training batches.</summary>
public sealed record CorpusDatasetOptions
{
    /// <summary>Side S of the square frames the model sees; corpus frames are resized to it. Default 128; in [16, 2048].</summary>
    public int ImageSize { get; init; } = 128;

    /// <summary>T: consecutive frames per clip in a batch (<see cref="S3DNeRFConfig.LipSyncFrames"/>). Default 5; in [1, 64].</summary>
    public int Frames { get; init; } = 5;

    /// <summary>B: clips per batch. Default 1; in [1, 256].</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>W: log-mel frames in the audio window of one video frame (<see cref="S3DNeRFConfig.AudioWindow"/>). Default 16; in [1, 256].</summary>
    public int AudioWindow { get; init; } = 16;

    /// <summary>Mel bins of the features (<see cref="S3DNeRFConfig.AudioFeatureDim"/>). Default 80; in [8, 256].</summary>
    public int MelBins { get; init; } = 80;

    /// <summary>
    /// Fraction of the identities held out for validation. Default 0.1; in [0, 0.9]. With two or more identities at least
    /// one is held out when the fraction is above 0; a single identity is never held out.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Seed of the split and of the batch sampling (batch n is a pure function of (Seed, n)). Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>The options matching a model config: S, T, W and the mel bins from it.</summary>
    public static CorpusDatasetOptions For(S3DNeRFConfig config, int batchSize = 1, double validationFraction = 0.1, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new CorpusDatasetOptions
        {
            ImageSize = config.ImageSize,
            Frames = config.LipSyncFrames,
            AudioWindow = config.AudioWindow,
            MelBins = config.AudioFeatureDim,
            BatchSize = batchSize,
            ValidationFraction = validationFraction,
            Seed = seed,
        };
    }

    /// <summary>Throws naming every out-of-range setting.</summary>
    public CorpusDatasetOptions EnsureValid()
    {
        var errors = new List<string>();
        if (ImageSize is < 16 or > 2048) errors.Add($"ImageSize {ImageSize} must be in [16, 2048]");
        if (Frames is < 1 or > 64) errors.Add($"Frames {Frames} must be in [1, 64]");
        if (BatchSize is < 1 or > 256) errors.Add($"BatchSize {BatchSize} must be in [1, 256]");
        if (AudioWindow is < 1 or > 256) errors.Add($"AudioWindow {AudioWindow} must be in [1, 256]");
        if (MelBins is < 8 or > 256) errors.Add($"MelBins {MelBins} must be in [8, 256] (log-mel features; wav2vec2 features are not computed offline yet)");
        if (!(ValidationFraction >= 0 && ValidationFraction <= 0.9)) errors.Add($"ValidationFraction {ValidationFraction} must be in [0, 0.9]");
        if (errors.Count > 0) throw new ArgumentException($"invalid dataset options: {string.Join("; ", errors)}");
        return this;
    }
}
