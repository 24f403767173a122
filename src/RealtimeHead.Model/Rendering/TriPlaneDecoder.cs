using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Rendering;

/// <summary>How the decoder turns its raw density output into σ ≥ 0.</summary>
public enum DensityActivation
{
    /// <summary>σ = softplus(x − 1), EG3D's choice: smooth, starts nearly transparent (σ ≈ 0.31 at x = 0).</summary>
    Softplus,

    /// <summary>σ = exp(min(x, 15)) (instant-ngp's trunc_exp, here truncated in the forward pass as well).</summary>
    TruncatedExp,
}

/// <summary>
/// The tri-plane decoder of S3D-NeRF Sec. 3.3 (EG3D's OSGDecoder): a small MLP from the tri-plane features sampled at
/// a point, F_xyz(x̃) (Eq. 2), plus optional per-point conditioning (e.g. the audio feature in the "w/o Deform"
/// ablation), to density σ, colour c and <see cref="S3DNeRFConfig.RenderFeatureChannels"/> features for the
/// super-resolution module. No view direction is used, as in EG3D.
/// </summary>
public sealed class TriPlaneDecoder : nn.Module
{
    private readonly Sequential _mlp;
    private readonly DensityActivation _density;

    /// <param name="inputFeatures">F_in: channels of the sampled tri-plane feature per point.</param>
    /// <param name="hidden">Width of the hidden layers.</param>
    /// <param name="featureChannels">Cf: extra rendered features.</param>
    /// <param name="conditioningFeatures">Channels of the optional per-point conditioning (0 = none).</param>
    /// <param name="hiddenLayers">Hidden layers (EG3D uses 1).</param>
    /// <param name="density">σ activation.</param>
    public TriPlaneDecoder(int inputFeatures, int hidden, int featureChannels, int conditioningFeatures = 0, int hiddenLayers = 1,
        DensityActivation density = DensityActivation.Softplus)
        : base(nameof(TriPlaneDecoder))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        ArgumentOutOfRangeException.ThrowIfNegative(featureChannels);
        ArgumentOutOfRangeException.ThrowIfNegative(conditioningFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hiddenLayers);
        InputFeatures = inputFeatures;
        ConditioningFeatures = conditioningFeatures;
        FeatureChannels = featureChannels;
        Hidden = hidden;
        HiddenLayers = hiddenLayers;
        _density = density;
        _mlp = nn.Sequential(nn.Linear(inputFeatures + conditioningFeatures, hidden), nn.Softplus());
        for (var i = 1; i < hiddenLayers; i++)
        {
            _mlp.append(nn.Linear(hidden, hidden));
            _mlp.append(nn.Softplus());
        }
        _mlp.append(nn.Linear(hidden, 1 + 3 + featureChannels));
        RegisterComponents();
    }

    /// <summary>Sizes from the config (DecoderHidden, RenderFeatureChannels); F_in depends on how the assembly samples the
    /// planes (e.g. PlaneChannels summed over planes and concatenated over levels), so it is given explicitly.</summary>
    public TriPlaneDecoder(S3DNeRFConfig config, int inputFeatures, int conditioningFeatures = 0)
        : this(inputFeatures, config.DecoderHidden, config.RenderFeatureChannels, conditioningFeatures)
    {
    }

    public int InputFeatures { get; }
    public int ConditioningFeatures { get; }
    public int FeatureChannels { get; }
    public int Hidden { get; }
    public int HiddenLayers { get; }

    /// <summary>Multiply-accumulates per point (the linear layers; activations not counted).</summary>
    public long MultiplyAccumulatesPerPoint =>
        (long)(InputFeatures + ConditioningFeatures) * Hidden + (long)(HiddenLayers - 1) * Hidden * Hidden + (long)Hidden * (4 + FeatureChannels);

    /// <summary>
    /// features [B, N, F_in] (+ conditioning [B, N, F_c]) → σ [B, N, 1], rgb [B, N, 3] in (−0.001, 1.001) and features
    /// [B, N, Cf] in the same range (EG3D: sigmoid·(1 + 2·0.001) − 0.001, so 0 and 1 are reachable without saturating).
    /// The outputs have the element type of <paramref name="features"/>, whatever the weights' type.
    /// </summary>
    public FieldOutput forward(Tensor features, Tensor? conditioning = null)
    {
        if (features.size(-1) != InputFeatures)
        {
            throw new ArgumentException($"expected {InputFeatures} input features, got {features}", nameof(features));
        }
        if ((conditioning is null) != (ConditioningFeatures == 0) || conditioning is not null && conditioning.size(-1) != ConditioningFeatures)
        {
            throw new ArgumentException($"this decoder takes {ConditioningFeatures} conditioning features, got {conditioning?.ToString() ?? "none"}", nameof(conditioning));
        }
        using var scope = NewDisposeScope();
        var input = conditioning is null ? features : cat([features, conditioning], -1);
        // The MLP runs in its weights' type (bf16/fp16 after a reduced-precision placement); the activations and the
        // outputs are in the features' type (fp32 on the model's path), where volume rendering needs them.
        var raw = _mlp.forward(input.to(_mlp.parameters().First().dtype)).to(features.dtype);
        var sigmaRaw = raw.narrow(-1, 0, 1);
        var sigma = _density == DensityActivation.Softplus ? F.softplus(sigmaRaw.sub(1)) : sigmaRaw.clamp_max(15).exp();
        var colourAndFeatures = raw.narrow(-1, 1, 3 + FeatureChannels).sigmoid().mul(1 + 2 * 0.001).sub(0.001);
        var rgb = colourAndFeatures.narrow(-1, 0, 3);
        var extra = colourAndFeatures.narrow(-1, 3, FeatureChannels);
        return new FieldOutput(sigma.MoveToOuterDisposeScope(), rgb.MoveToOuterDisposeScope(), extra.MoveToOuterDisposeScope());
    }
}
