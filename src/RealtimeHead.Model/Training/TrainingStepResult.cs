namespace RealtimeHead.Model.Training;

/// <summary>What one <see cref="S3DNeRFTrainer.Step"/> did.</summary>
/// <param name="Step">The step number just completed (1 for the first step).</param>
/// <param name="Generator">Eq. 9 terms: "total", "pix", "per", "adv", "sync", "deform".</param>
/// <param name="Discriminator">The StyleGAN discriminator's loss (non-saturating logistic, + γ/2·k·R1 on R1 steps); 0 when
/// the adversarial loss is off.</param>
/// <param name="R1">The R1 penalty when it ran this step, else null.</param>
public sealed record TrainingStepResult(long Step, IReadOnlyDictionary<string, double> Generator, double Discriminator, double? R1);
