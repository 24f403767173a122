using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Rendering;

/// <summary>How δ_i, the ray length a sample stands for, is taken from the sorted sample distances.</summary>
public enum DeltaRule
{
    /// <summary>
    /// The sample's segment between the midpoints with its neighbours, with near and far closing the ends
    /// (<see cref="RaySampler.SegmentEdges"/>). The segments tile [t_n, t_f] exactly, so a constant σ gives
    /// T(t_f) = exp(−σ·(t_f − t_n)) for any sample placement, and the importance pdf uses the same segments. Default.
    /// </summary>
    Segments,

    /// <summary>NeRF's forward differences δ_i = t_{i+1} − t_i, with the last δ = t_f − t_last (the far bound, not 1e10,
    /// so the back face of the head cube is never painted opaque).</summary>
    Forward,
}

/// <summary>Per-ray results of volume rendering M rays with S samples each.</summary>
/// <param name="Rgb">[B, M, 3]: Σ w_i c_i + (1 − opacity)·background.</param>
/// <param name="Features">[B, M, Cf]: Σ w_i f_i (zero background).</param>
/// <param name="Opacity">[B, M]: accumulated opacity Σ w_i = 1 − T(t_f).</param>
/// <param name="Depth">[B, M]: Σ w_i t_i / Σ w_i, the expected termination distance of rays that terminate; 0 for empty rays.</param>
/// <param name="Weights">[B, M, S]: w_i = T_i·α_i, in sample (t) order.</param>
/// <param name="T">[B, M, S]: the sorted sample distances the weights belong to.</param>
public sealed record RenderedRays(Tensor Rgb, Tensor Features, Tensor Opacity, Tensor Depth, Tensor Weights, Tensor T);

/// <summary>
/// S3D-NeRF Eq. 5, C(r) = ∫ T(t) σ(r(t)) c(r(t)) dt, discretised as in NeRF Eq. 3 (Max 1995): α_i = 1 − exp(−σ_i δ_i),
/// T_i = Π_{j&lt;i} (1 − α_j), w_i = T_i α_i, C = Σ w_i c_i. Rays are composited over a constant background colour.
/// </summary>
public sealed class VolumeRenderer
{
    private readonly float[] _background;

    /// <param name="background">RGB in [0, 1] shown where rays are transparent; default black (0, 0, 0), which matches
    /// an inner-face target whose outside is zeroed. Use (1, 1, 1) for white.</param>
    /// <param name="deltaRule">How δ_i is measured; <see cref="DeltaRule.Segments"/> by default.</param>
    public VolumeRenderer(float[]? background = null, DeltaRule deltaRule = DeltaRule.Segments)
    {
        background ??= [0f, 0f, 0f];
        if (background.Length != 3 || background.Any(v => !float.IsFinite(v)))
        {
            throw new ArgumentException("background must be three finite RGB values", nameof(background));
        }
        _background = (float[])background.Clone();
        DeltaRule = deltaRule;
    }

    public IReadOnlyList<float> Background => _background;
    public DeltaRule DeltaRule { get; }

    /// <summary>Sorted t [B, M, S] and bounds near, far [B, M, 1] → δ [B, M, S] (≥ 0; all zero for a ray with near = far).</summary>
    public Tensor Deltas(Tensor t, Tensor near, Tensor far)
    {
        using var scope = NewDisposeScope();
        Tensor deltas;
        if (DeltaRule == DeltaRule.Segments)
        {
            var edges = RaySampler.SegmentEdges(t, near, far);
            var s = t.size(-1);
            deltas = edges.slice(-1, 1, s + 1).sub(edges.slice(-1, 0, s));
        }
        else
        {
            var s = t.size(-1);
            deltas = cat([t.slice(-1, 1, s).sub(t.slice(-1, 0, s - 1)), far.sub(t.slice(-1, s - 1, s))], -1);
        }
        return deltas.clamp_min(0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Weights w_i = T_i·α_i: σ [B, M, S] (or [B, M, S, 1]), sorted t [B, M, S], near, far [B, M, 1] → [B, M, S].
    /// T_i is the exclusive product Π_{j&lt;i} exp(−σ_j δ_j), taken as exp of an exclusive cumulative sum of σδ: the same
    /// value as the cumprod of (1 − α_j) without NeRF's 1e-10 guard, with a gradient that stays defined when α_j = 1.
    /// </summary>
    public Tensor Weights(Tensor sigma, Tensor t, Tensor near, Tensor far)
    {
        using var scope = NewDisposeScope();
        if (sigma.Dimensions == t.Dimensions + 1) sigma = sigma.squeeze(-1);
        var opticalDepth = sigma.mul(Deltas(t, near, far));                  // σ_i δ_i
        var alpha = opticalDepth.neg().exp().neg().add(1);                    // 1 − exp(−σ_i δ_i)
        var before = opticalDepth.cumsum(-1).sub(opticalDepth);              // Σ_{j<i} σ_j δ_j
        var transmittance = before.neg().exp();
        return transmittance.mul(alpha).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Composites samples along rays: field output with σ [B, M, S, 1], rgb [B, M, S, 3], features [B, M, S, Cf] at sorted
    /// t [B, M, S] within near, far [B, M, 1] → <see cref="RenderedRays"/>.
    /// </summary>
    public RenderedRays Composite(FieldOutput samples, Tensor t, Tensor near, Tensor far)
    {
        using var scope = NewDisposeScope();
        var weights = Weights(samples.Sigma, t, near, far);
        var w = weights.unsqueeze(-1);
        var opacity = weights.sum(-1);
        var background = tensor(_background, device: t.device);
        var rgb = samples.Rgb.mul(w).sum(2).add(opacity.neg().add(1).unsqueeze(-1).mul(background));
        var features = samples.Features.mul(w).sum(2);
        var depth = weights.mul(t).sum(-1).div(opacity.add(1e-10));
        return new RenderedRays(
            rgb.MoveToOuterDisposeScope(),
            features.MoveToOuterDisposeScope(),
            opacity.MoveToOuterDisposeScope(),
            depth.MoveToOuterDisposeScope(),
            weights.MoveToOuterDisposeScope(),
            t.alias().MoveToOuterDisposeScope());
    }
}
