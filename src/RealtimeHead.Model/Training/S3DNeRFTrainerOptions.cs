namespace RealtimeHead.Model.Training;

/// <summary>
/// Optimisation settings of <see cref="S3DNeRFTrainer"/> (recorded in checkpoints). Defaults follow EG3D / StyleGAN2
/// practice where the S3D-NeRF paper gives no number.
/// </summary>
public sealed record S3DNeRFTrainerOptions
{
    /// <summary>Adam learning rate of the generator (everything in <see cref="S3DNeRF"/>). Default 2e-4; in (0, 1].</summary>
    public double GeneratorLearningRate { get; init; } = 2e-4;

    /// <summary>Adam learning rate of the StyleGAN discriminator. Default 2e-4; in (0, 1].</summary>
    public double DiscriminatorLearningRate { get; init; } = 2e-4;

    /// <summary>Adam β1 of both optimizers. Default 0 (StyleGAN2); in [0, 1).</summary>
    public double Beta1 { get; init; } = 0;

    /// <summary>Adam β2 of both optimizers. Default 0.99 (StyleGAN2); in [0, 1).</summary>
    public double Beta2 { get; init; } = 0.99;

    /// <summary>γ of the R1 penalty (γ/2 · R1 in the D loss). Default 1 (EG3D on FFHQ); ≥ 0, 0 disables it.</summary>
    public double R1Gamma { get; init; } = 1.0;

    /// <summary>k: R1 runs every k discriminator steps, scaled by k (StyleGAN2's lazy regularisation). Default 16; ≥ 1.</summary>
    public int R1Interval { get; init; } = 16;

    /// <summary>Seed of the initialisation and of every step's sampling (step n reseeds with (Seed, n)). Default 0.</summary>
    public long Seed { get; init; }

    /// <summary>
    /// Train the StyleGAN discriminator and add L_adv to Eq. 9 (with <see cref="S3DNeRFConfig.AdversarialWeight"/> &gt; 0).
    /// Default true; reconstruction-only runs (overfitting checks) turn it off.
    /// </summary>
    public bool UseAdversarialLoss { get; init; } = true;

    /// <summary>Throws naming every out-of-range setting.</summary>
    public S3DNeRFTrainerOptions EnsureValid()
    {
        var errors = new List<string>();
        if (!(GeneratorLearningRate > 0 && GeneratorLearningRate <= 1)) errors.Add($"GeneratorLearningRate {GeneratorLearningRate} must be in (0, 1]");
        if (!(DiscriminatorLearningRate > 0 && DiscriminatorLearningRate <= 1)) errors.Add($"DiscriminatorLearningRate {DiscriminatorLearningRate} must be in (0, 1]");
        if (Beta1 is < 0 or >= 1) errors.Add($"Beta1 {Beta1} must be in [0, 1)");
        if (Beta2 is < 0 or >= 1) errors.Add($"Beta2 {Beta2} must be in [0, 1)");
        if (!(R1Gamma >= 0)) errors.Add($"R1Gamma {R1Gamma} must be non-negative");
        if (R1Interval < 1) errors.Add($"R1Interval {R1Interval} must be at least 1");
        if (errors.Count > 0) throw new ArgumentException($"invalid trainer options: {string.Join("; ", errors)}");
        return this;
    }
}
