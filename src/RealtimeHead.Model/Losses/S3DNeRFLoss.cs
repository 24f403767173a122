using RealtimeHead.Model.Discriminators;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Losses;

/// <summary>
/// What the generator loss of one training step compares. The generator-side outputs of the discriminators (logits,
/// lip embeddings) are computed by the caller, so this type never decides which discriminator sees what.
/// </summary>
/// <param name="Fine">I_gen^fine [B, 3, S, S]: the super-resolved frame (S = ImageSize).</param>
/// <param name="Coarse">I_gen^coar [B, 3, r, r]: the NeRF render of the inner face (r = RenderSize).</param>
/// <param name="Target">The ground-truth frame [B, 3, S, S].</param>
/// <param name="InnerFaceMask">The inner-face mask [B, 1, h, w] in [0, 1] at any resolution (resized as needed): the
/// coarse render is compared with the target only inside it (Sec. 3.3, coarse-to-fine).</param>
/// <param name="Deformation">Δx of the deformation field [..., 3] (any leading shape); null for the "w/o Deform" variant.</param>
/// <param name="FineFakeLogits">StyleGAN D logits [B, 1] of <paramref name="Fine"/>; null to skip its adversarial term.</param>
/// <param name="CoarseFakeLogits">D logits [B, 1] of <paramref name="Coarse"/> (Sec. 3.5: every loss on both outputs); null to skip.</param>
/// <param name="FineLipEmbedding">e_l^gen [B', E] of lip crops of the fine frames (frozen lip-sync D); null to skip.</param>
/// <param name="CoarseLipEmbedding">e_l^gen [B', E] of lip crops of the coarse renders; null to skip.</param>
/// <param name="AudioEmbedding">e_gt [B', E] of the ground-truth audio windows; required with a lip embedding.</param>
public sealed record S3DNeRFLossInputs(
    Tensor Fine,
    Tensor Coarse,
    Tensor Target,
    Tensor InnerFaceMask,
    Tensor? Deformation = null,
    Tensor? FineFakeLogits = null,
    Tensor? CoarseFakeLogits = null,
    Tensor? FineLipEmbedding = null,
    Tensor? CoarseLipEmbedding = null,
    Tensor? AudioEmbedding = null);

/// <summary>
/// The terms of Eq. 9 (scalar tensors; <see cref="Total"/> carries the graph) and their weights, for backward and logging.
/// Each term is already summed over the coarse and fine outputs; the weights are those the total used.
/// </summary>
public sealed record S3DNeRFLossTerms(
    Tensor Total,
    Tensor Pixel,
    Tensor Perceptual,
    Tensor Adversarial,
    Tensor Sync,
    Tensor Deform,
    S3DNeRFLossWeights Weights)
{
    /// <summary>Every value as a double, keyed "total", "pix", "per", "adv", "sync", "deform" (for logging).</summary>
    public IReadOnlyDictionary<string, double> ToValues() => new Dictionary<string, double>
    {
        ["total"] = Total.item<double>(),
        ["pix"] = Pixel.item<double>(),
        ["per"] = Perceptual.item<double>(),
        ["adv"] = Adversarial.item<double>(),
        ["sync"] = Sync.item<double>(),
        ["deform"] = Deform.item<double>(),
    };
}

/// <summary>λ of Eq. 9 (λ_pix is 1). Sync is 0 when the lip-sync loss is off.</summary>
public sealed record S3DNeRFLossWeights(double Perceptual, double Adversarial, double Sync, double Deform)
{
    public static S3DNeRFLossWeights From(S3DNeRFConfig config) =>
        new(config.PerceptualWeight, config.AdversarialWeight, config.UseLipSyncLoss ? config.SyncWeight : 0, config.DeformWeight);
}

/// <summary>
/// The generator objective of S3D-NeRF Eq. 9:
/// L = L_pix + λ_per·L_per + λ_adv·L_adv + λ_sync·L_sync^gen + λ_deform·L_deform,
/// with λ from <see cref="S3DNeRFConfig"/> (paper: 0.01, 1, 0.5, 0.001). Sec. 3.5: every image loss is imposed on both
/// the coarse and the fine output, so each term is the sum of a fine and a coarse part:
/// <list type="bullet">
/// <item>L_pix: MSE of the fine frame with the target, plus the MSE of the coarse render with the target downsampled
/// (area) to the render size, averaged over the inner-face mask only.</item>
/// <item>L_per: <see cref="PerceptualLoss"/> of fine vs target, plus of the masked coarse render vs the masked,
/// downsampled target.</item>
/// <item>L_adv: non-saturating generator loss softplus(−D(·)) of every logit tensor given (fine, coarse).</item>
/// <item>L_sync: (1 − cos(e_l^gen, e_gt)) of every lip embedding given (Eq. 8, see
/// <see cref="LipSyncDiscriminator.GeneratorSyncLoss"/>); dropped (weight 0, value 0) when
/// <see cref="S3DNeRFConfig.UseLipSyncLoss"/> is false ("w/o Lip Sync" ablation).</item>
/// <item>L_deform: mean ‖Δx‖² over the deformed points (an l2 regulariser towards the canonical face).</item>
/// </list>
/// The module owns the perceptual network so that <c>to(device)</c> moves it.
/// </summary>
public sealed class S3DNeRFLoss : nn.Module
{
    private readonly PerceptualLoss _perceptual;

    public S3DNeRFLoss(S3DNeRFConfig config, PerceptualLoss perceptual) : base(nameof(S3DNeRFLoss))
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(perceptual);
        config.EnsureValid();
        Config = config;
        Weights = S3DNeRFLossWeights.From(config);
        _perceptual = perceptual;
        register_module("perceptual", perceptual);
    }

    public S3DNeRFConfig Config { get; }

    public S3DNeRFLossWeights Weights { get; }

    public PerceptualLoss Perceptual => _perceptual;

    /// <summary>Eq. 9 over <paramref name="inputs"/> → every term and the weighted total (scalars).</summary>
    public S3DNeRFLossTerms Compute(S3DNeRFLossInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Validate(inputs);
        using var scope = NewDisposeScope();
        var fine = inputs.Fine;
        var target = inputs.Target.detach();
        var renderSize = inputs.Coarse.size(2);

        // Coarse supervision: the inner face of the target at the render resolution (Sec. 3.3).
        var coarseMask = Resize(inputs.InnerFaceMask.to(fine.dtype), renderSize).clamp(0, 1);
        var coarseTarget = Resize(target, renderSize);
        var maskedCoarse = inputs.Coarse * coarseMask;
        var maskedTarget = coarseTarget * coarseMask;

        var pixel = F.mse_loss(fine, target) + MaskedMse(inputs.Coarse, coarseTarget, coarseMask);
        var perceptual = _perceptual.forward(fine, target) + _perceptual.forward(maskedCoarse, maskedTarget);

        var zero = zeros([], fine.dtype, fine.device);
        var adversarial = zero;
        if (inputs.FineFakeLogits is { } fineLogits) adversarial = adversarial + StyleGanDiscriminator.GeneratorLoss(fineLogits);
        if (inputs.CoarseFakeLogits is { } coarseLogits) adversarial = adversarial + StyleGanDiscriminator.GeneratorLoss(coarseLogits);

        var sync = zero;
        if (Config.UseLipSyncLoss)
        {
            if (inputs.FineLipEmbedding is { } fineLips) sync = sync + LipSyncDiscriminator.GeneratorSyncLoss(fineLips, inputs.AudioEmbedding!);
            if (inputs.CoarseLipEmbedding is { } coarseLips) sync = sync + LipSyncDiscriminator.GeneratorSyncLoss(coarseLips, inputs.AudioEmbedding!);
        }

        var deform = inputs.Deformation is { } delta ? delta.square().sum(-1).mean() : zero;

        var total = pixel + perceptual * Weights.Perceptual + adversarial * Weights.Adversarial + sync * Weights.Sync + deform * Weights.Deform;
        return new S3DNeRFLossTerms(
            total.MoveToOuterDisposeScope(),
            pixel.MoveToOuterDisposeScope(),
            perceptual.MoveToOuterDisposeScope(),
            adversarial.MoveToOuterDisposeScope(),
            (ReferenceEquals(sync, zero) ? sync.alias() : sync).MoveToOuterDisposeScope(),
            (ReferenceEquals(deform, zero) ? deform.alias() : deform).MoveToOuterDisposeScope(),
            Weights);
    }

    /// <summary>Σ m·(a − b)² / (Σ m · C): the MSE inside the mask [B, 1, r, r]; 0 for an empty mask.</summary>
    private static Tensor MaskedMse(Tensor generated, Tensor target, Tensor mask)
    {
        var squared = (generated - target).square() * mask;
        var denominator = (mask.sum() * generated.size(1)).clamp_min(1e-6);
        return squared.sum() / denominator;
    }

    /// <summary>[B, C, h, w] → [B, C, size, size]: area averaging when shrinking, bilinear when enlarging.</summary>
    private static Tensor Resize(Tensor images, long size)
    {
        if (images.size(2) == size && images.size(3) == size) return images.alias();
        var mode = images.size(2) > size ? InterpolationMode.Area : InterpolationMode.Bilinear;
        return F.interpolate(images, [size, size], mode: mode, align_corners: mode == InterpolationMode.Bilinear ? false : null);
    }

    private void Validate(S3DNeRFLossInputs inputs)
    {
        var fine = inputs.Fine.shape;
        var coarse = inputs.Coarse.shape;
        var mask = inputs.InnerFaceMask.shape;
        if (fine.Length != 4 || fine[1] != 3) throw new ArgumentException($"Fine must be [B, 3, S, S], got [{string.Join(", ", fine)}]", nameof(inputs));
        if (!inputs.Target.shape.SequenceEqual(fine))
        {
            throw new ArgumentException($"Target [{string.Join(", ", inputs.Target.shape)}] must match Fine [{string.Join(", ", fine)}]", nameof(inputs));
        }
        if (coarse.Length != 4 || coarse[0] != fine[0] || coarse[1] != 3 || coarse[2] != coarse[3])
        {
            throw new ArgumentException($"Coarse must be [{fine[0]}, 3, r, r], got [{string.Join(", ", coarse)}]", nameof(inputs));
        }
        if (mask.Length != 4 || mask[0] != fine[0] || mask[1] != 1)
        {
            throw new ArgumentException($"InnerFaceMask must be [{fine[0]}, 1, h, w], got [{string.Join(", ", mask)}]", nameof(inputs));
        }
        if (Config.UseLipSyncLoss && (inputs.FineLipEmbedding ?? inputs.CoarseLipEmbedding) is not null && inputs.AudioEmbedding is null)
        {
            throw new ArgumentException("a lip embedding was given without the AudioEmbedding e_gt it must be compared with", nameof(inputs));
        }
    }
}
