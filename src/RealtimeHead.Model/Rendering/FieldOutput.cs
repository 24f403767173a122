using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Rendering;

/// <summary>
/// What a radiance field answers for N points: density σ ≥ 0 [..., N, 1], colour in [0, 1] [..., N, 3] and
/// <see cref="S3DNeRFConfig.RenderFeatureChannels"/> extra features [..., N, Cf] for the super-resolution module.
/// </summary>
public readonly record struct FieldOutput(Tensor Sigma, Tensor Rgb, Tensor Features)
{
    public long FeatureChannels => Features.size(-1);
}
