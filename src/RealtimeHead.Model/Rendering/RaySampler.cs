using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Rendering;

/// <summary>
/// Where to evaluate the field along each ray (nerfstudio's samplers, NeRF Sec. 5.2): stratified samples between the
/// ray's entry and exit of the head cube [-HeadExtent, HeadExtent]³, then importance samples drawn from the coarse
/// weights (hierarchical sampling, NeRF's sample_pdf). Ray parameters t are distances along unit directions.
/// </summary>
public sealed class RaySampler
{
    public RaySampler(int coarseSamples, int importanceSamples, float headExtent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(coarseSamples, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(importanceSamples);
        if (!(headExtent > 0) || float.IsInfinity(headExtent)) throw new ArgumentOutOfRangeException(nameof(headExtent), headExtent, "must be positive and finite");
        CoarseSamples = coarseSamples;
        ImportanceSamples = importanceSamples;
        HeadExtent = headExtent;
    }

    public RaySampler(S3DNeRFConfig config) : this(config.CoarseSamples, config.ImportanceSamples, config.HeadExtent)
    {
    }

    public int CoarseSamples { get; }
    public int ImportanceSamples { get; }
    public float HeadExtent { get; }

    /// <summary>
    /// Ray–AABB intersection with the head cube (slab method, Kay &amp; Kajiya 1986): origins, unit directions [B, M, 3] →
    /// near, far [B, M, 1] (near ≥ 0: a camera inside the cube starts at its origin) and hit [B, M, 1] (bool). Rays that
    /// miss (or only graze an edge) get near = far = 0: a zero-length interval that contributes nothing.
    /// </summary>
    public (Tensor Near, Tensor Far, Tensor Hit) IntersectBox(Tensor origins, Tensor directions)
    {
        using var scope = NewDisposeScope();
        // Axis-parallel rays: a tiny same-signed component turns 0/0 into ±∞ slabs instead of NaN.
        var safe = where(directions.abs().lt(1e-9), full_like(directions, 1e-9), directions);
        var inverse = safe.reciprocal();
        var t1 = origins.neg().sub(HeadExtent).mul(inverse);
        var t2 = origins.neg().add(HeadExtent).mul(inverse);
        var tMin = minimum(t1, t2).amax(-1, keepdim: true).clamp_min(0);
        var tMax = maximum(t1, t2).amin(-1, keepdim: true);
        var hit = tMax.gt(tMin);
        var zero = zeros_like(tMin);
        var near = where(hit, tMin, zero);
        var far = where(hit, tMax, zero);
        return (near.MoveToOuterDisposeScope(), far.MoveToOuterDisposeScope(), hit.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Stratified samples: near, far [B, M, 1] → t [B, M, S_c] (S_c = <see cref="CoarseSamples"/>), one per equal bin of
    /// [near, far], sorted. Jittered uniformly inside each bin in training (NeRF Eq. 2), the bin midpoints otherwise.
    /// </summary>
    public Tensor Stratified(Tensor near, Tensor far, bool jitter)
    {
        using var scope = NewDisposeScope();
        var shape = near.shape;
        var offsets = jitter
            ? rand([shape[0], shape[1], CoarseSamples], ScalarType.Float32, near.device)
            : full([shape[0], shape[1], CoarseSamples], 0.5, ScalarType.Float32, near.device);
        var fraction = arange(CoarseSamples, ScalarType.Float32, near.device).add(offsets).div(CoarseSamples);
        return near.add(far.sub(near).mul(fraction)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Hierarchical (importance) samples, NeRF Sec. 5.2 / sample_pdf: coarse t [B, M, S] with their weights [B, M, S] and
    /// the ray bounds near, far [B, M, 1] → t [B, M, S_f] (S_f = <see cref="ImportanceSamples"/>), sorted, no gradient.
    /// The pdf is piecewise constant: sample i owns the segment from the midpoint with its predecessor (or near) to the
    /// midpoint with its successor (or far), the same segments <see cref="VolumeRenderer"/> integrates over, with mass
    /// w_i + 1e-5 (so an empty ray still samples uniformly). u is stratified in [0, 1): (k + ξ)/S_f with ξ uniform in
    /// training, ½ otherwise; t = F⁻¹(u) by searchsorted on the cdf and linear interpolation inside the segment.
    /// </summary>
    public Tensor Importance(Tensor coarseT, Tensor weights, Tensor near, Tensor far, bool jitter)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var shape = coarseT.shape;
        var (b, m, s) = (shape[0], shape[1], shape[2]);
        var edges = SegmentEdges(coarseT.detach(), near, far);                                  // [B, M, S + 1]
        var mass = weights.detach().add(1e-5);
        var pdf = mass.div(mass.sum(-1, keepdim: true));
        var cdf = cat([zeros([b, m, 1], ScalarType.Float32, coarseT.device), pdf.cumsum(-1)], -1).clamp_max(1).contiguous();
        var offsets = jitter
            ? rand([b, m, ImportanceSamples], ScalarType.Float32, coarseT.device)
            : full([b, m, ImportanceSamples], 0.5, ScalarType.Float32, coarseT.device);
        var u = arange(ImportanceSamples, ScalarType.Float32, coarseT.device).add(offsets).div(ImportanceSamples).contiguous();
        // Scalar arithmetic promotes int64 to float (PyTorch's type promotion), hence the conversions back for gather.
        var above = searchsorted(cdf, u, right: true).clamp(1, s).to(ScalarType.Int64);       // cdf[above-1] ≤ u < cdf[above]
        var below = above.sub(1).to(ScalarType.Int64);
        var cdfBelow = cdf.gather(-1, below);
        var cdfAbove = cdf.gather(-1, above);
        var edgeBelow = edges.gather(-1, below);
        var edgeAbove = edges.gather(-1, above);
        var denominator = cdfAbove.sub(cdfBelow);
        denominator = where(denominator.lt(1e-5), ones_like(denominator), denominator);
        var fraction = u.sub(cdfBelow).div(denominator).clamp(0, 1);
        var t = edgeBelow.add(edgeAbove.sub(edgeBelow).mul(fraction));
        return t.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The segments samples stand for: sorted t [B, M, S] and bounds [B, M, 1] → edges [B, M, S + 1]:
    /// near, the S − 1 midpoints between neighbours, far. Segment i is [edges_i, edges_{i+1}].
    /// </summary>
    public static Tensor SegmentEdges(Tensor t, Tensor near, Tensor far)
    {
        using var scope = NewDisposeScope();
        var s = t.size(-1);
        var parts = new List<Tensor> { near };
        if (s > 1) parts.Add(t.slice(-1, 0, s - 1).add(t.slice(-1, 1, s)).mul(0.5));
        parts.Add(far);
        return cat(parts, -1).MoveToOuterDisposeScope();
    }

    /// <summary>Points along rays: origins, directions [B, M, 3] and t [B, M, S] → [B, M, S, 3] = o + t·d.</summary>
    public static Tensor Points(Tensor origins, Tensor directions, Tensor t)
    {
        using var scope = NewDisposeScope();
        return origins.unsqueeze(2).add(directions.unsqueeze(2).mul(t.unsqueeze(-1))).MoveToOuterDisposeScope();
    }
}
