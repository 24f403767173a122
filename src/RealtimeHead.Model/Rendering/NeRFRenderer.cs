using RealtimeHead.Model.Camera;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Rendering;

/// <summary>
/// A rendered image: <see cref="Image"/> [B, 3 + Cf, R, R] (RGB in [0, 1] over the background, then the Cf features),
/// <see cref="Opacity"/> [B, R, R], <see cref="Depth"/> [B, R, R] and the per-ray results behind them.
/// </summary>
public sealed record RenderedImage(Tensor Image, Tensor Opacity, Tensor Depth, NeRFRenderResult Rays);

/// <summary>
/// Per-ray results of the two-pass render of M rays.
/// </summary>
/// <param name="Final">Composited over all S_c + S_f samples, sorted by t.</param>
/// <param name="CoarseWeights">[B, M, S_c]: weights of the coarse pass alone (what the importance samples were drawn from).</param>
/// <param name="QueryWeights">[B, M, S_c + S_f]: the final weights in the order the field was queried: the S_c coarse samples
/// of each ray (first field call), then its S_f importance samples (second call). Pair them with whatever the field
/// computed per point (e.g. Δx for a deformation regulariser weighted by visibility).</param>
/// <param name="Near">[B, M, 1]: entry into the head cube.</param>
/// <param name="Far">[B, M, 1]: exit from the head cube (= Near for rays that miss).</param>
public sealed record NeRFRenderResult(RenderedRays Final, Tensor CoarseWeights, Tensor QueryWeights, Tensor Near, Tensor Far);

/// <summary>
/// Renders a radiance field through the head cube (S3D-NeRF Sec. 3.3): rays from a pose, stratified coarse samples,
/// importance samples from the coarse weights, one field evaluation per sample, volume rendering (Eq. 5) over the
/// merged samples. Both passes query the same field, as in EG3D, so the coarse evaluations are reused rather than
/// recomputed: the field is evaluated at S_c + S_f points per ray (<see cref="PointsPerImage"/> per image).
/// <para>
/// The field is a delegate so the assembly can compose deformation (Eq. 4), Inv(P_src) (Eq. 2), tri-plane sampling and
/// the <see cref="TriPlaneDecoder"/>: it receives world points [B, N, 3] (N = M·S, ray-major: point k·S + s is sample s of
/// ray k) and returns <see cref="FieldOutput"/> with σ [B, N, 1], rgb [B, N, 3], features [B, N, Cf]. It is called
/// exactly twice per render (coarse, then importance points), or once when ImportanceSamples = 0.
/// </para>
/// </summary>
public sealed class NeRFRenderer
{
    public NeRFRenderer(RayGenerator rays, RaySampler sampler, VolumeRenderer volume)
    {
        Rays = rays ?? throw new ArgumentNullException(nameof(rays));
        Sampler = sampler ?? throw new ArgumentNullException(nameof(sampler));
        Volume = volume ?? throw new ArgumentNullException(nameof(volume));
    }

    /// <summary>RenderSize × RenderSize rays, the config's samples and head cube, black background.</summary>
    public NeRFRenderer(S3DNeRFConfig config, float[]? background = null)
        : this(new RayGenerator(config), new RaySampler(config), new VolumeRenderer(background))
    {
    }

    public RayGenerator Rays { get; }
    public RaySampler Sampler { get; }
    public VolumeRenderer Volume { get; }

    /// <summary>R: side of the rendered image.</summary>
    public int Resolution => Rays.Resolution;

    /// <summary>Field evaluations for one full image: R²·(S_c + S_f) (Tiny: 32²·16 = 16,384).</summary>
    public long PointsPerImage => (long)Rays.PixelCount * (Sampler.CoarseSamples + Sampler.ImportanceSamples);

    /// <summary>
    /// Renders arbitrary rays: origins, unit directions [B, M, 3] → <see cref="NeRFRenderResult"/> (rgb [B, M, 3],
    /// features [B, M, Cf], opacity and depth [B, M], weights [B, M, S_c + S_f]). <paramref name="training"/> jitters
    /// both the stratified and the importance samples.
    /// </summary>
    public NeRFRenderResult RenderRays(Func<Tensor, FieldOutput> field, Tensor origins, Tensor directions, bool training)
    {
        ArgumentNullException.ThrowIfNull(field);
        using var scope = NewDisposeScope();
        var (near, far, _) = Sampler.IntersectBox(origins, directions);

        var coarseT = Sampler.Stratified(near, far, training);
        var coarse = Query(field, origins, directions, coarseT);
        var coarseWeights = Volume.Weights(coarse.Sigma, coarseT, near, far);

        RenderedRays final;
        Tensor queryWeights;
        if (Sampler.ImportanceSamples == 0)
        {
            final = Volume.Accumulate(coarseWeights, coarse, coarseT);
            queryWeights = coarseWeights.alias();
        }
        else
        {
            var fineT = Sampler.Importance(coarseT, coarseWeights, near, far, training);
            var fine = Query(field, origins, directions, fineT);
            // Merge the two sample sets in t order (EG3D's unify_samples). Only σ needs the sorted order (for δ and T);
            // the weights go back to query order, where the sums of Eq. 5 are taken without gathering colours and features.
            var queryT = cat([coarseT, fineT], -1);
            var (t, order) = RaySampler.Merge(coarseT, fineT);
            var sortedSigma = cat([coarse.Sigma, fine.Sigma], 2).squeeze(-1).gather(-1, order);
            var weights = Volume.Weights(sortedSigma, t, near, far);
            queryWeights = zeros_like(weights).scatter(-1, order, weights);
            var query = new FieldOutput(
                cat([coarse.Sigma, fine.Sigma], 2),
                cat([coarse.Rgb, fine.Rgb], 2),
                cat([coarse.Features, fine.Features], 2));
            var sums = Volume.Accumulate(queryWeights, query, queryT);
            final = sums with { Weights = weights, T = t };
        }

        return Keep(new NeRFRenderResult(final, coarseWeights, queryWeights, near, far));
    }

    /// <summary>Every pixel: pose [B, 4, 4] → <see cref="RenderedImage"/> with image [B, 3 + Cf, R, R].</summary>
    public RenderedImage RenderImage(Func<Tensor, FieldOutput> field, Tensor pose, bool training)
    {
        using var scope = NewDisposeScope();
        var rays = Rays.Generate(pose);
        var result = RenderRays(field, rays.Origins, rays.Directions, training);
        var (b, r) = (pose.size(0), (long)Resolution);
        var final = result.Final;
        var image = cat([final.Rgb, final.Features], -1).permute(0, 2, 1).reshape(b, -1, r, r);
        return new RenderedImage(
            image.MoveToOuterDisposeScope(),
            final.Opacity.reshape(b, r, r).MoveToOuterDisposeScope(),
            final.Depth.reshape(b, r, r).MoveToOuterDisposeScope(),
            Keep(result));
    }

    /// <summary>
    /// Only the pixels of a mask (training renders the inner face, Sec. 3.3 "Coarse-to-fine Generation Strategy"):
    /// pose [B, 4, 4] and mask [B, R, R] (nonzero = render) → image [B, 3 + Cf, R, R] that is the background colour
    /// (and zero features, opacity and depth) outside the mask. Rays are padded to the largest mask in the batch
    /// (<see cref="RayGenerator.MaskedPixelIndices"/>); the per-ray results in <see cref="RenderedImage.Rays"/> are in that
    /// padded order.
    /// </summary>
    public RenderedImage RenderMasked(Func<Tensor, FieldOutput> field, Tensor pose, Tensor mask, bool training)
    {
        using var scope = NewDisposeScope();
        var (indices, valid) = Rays.MaskedPixelIndices(mask);
        var rays = Rays.Generate(pose, indices);
        var result = RenderRays(field, rays.Origins, rays.Directions, training);
        var final = result.Final;
        var (b, r) = (pose.size(0), (long)Resolution);
        var pixels = (long)Rays.PixelCount;
        var keep = valid.to(ScalarType.Float32).unsqueeze(-1);
        var background = tensor(Volume.Background.ToArray(), device: pose.device);

        // Start from the background image and overwrite the rendered pixels (padding rays write the background back).
        var values = cat([final.Rgb.mul(keep).add(background.mul(keep.neg().add(1))), final.Features.mul(keep)], -1);
        var channels = values.size(-1);
        var canvas = cat([background.reshape(1, 1, 3).expand(b, pixels, 3), zeros([b, pixels, channels - 3], ScalarType.Float32, pose.device)], -1);
        var image = canvas.scatter(1, indices.unsqueeze(-1).expand(b, indices.size(1), channels), values);
        var opacity = zeros([b, pixels], ScalarType.Float32, pose.device).scatter(1, indices, final.Opacity.mul(keep.squeeze(-1)));
        var depth = zeros([b, pixels], ScalarType.Float32, pose.device).scatter(1, indices, final.Depth.mul(keep.squeeze(-1)));
        return new RenderedImage(
            image.permute(0, 2, 1).reshape(b, channels, r, r).MoveToOuterDisposeScope(),
            opacity.reshape(b, r, r).MoveToOuterDisposeScope(),
            depth.reshape(b, r, r).MoveToOuterDisposeScope(),
            Keep(result));
    }

    /// <summary>
    /// An image rendered at every pixel, masked afterwards the way <see cref="RenderMasked"/> leaves the pixels outside
    /// its mask: image [B, 3 + Cf, R, R] and mask [B, R, R] (nonzero = keep) → the image with the background colour and
    /// zero features elsewhere. In eval mode this equals <see cref="RenderMasked"/> with the same mask (rays are
    /// independent); it is how inference, which has no inner-face mask before rendering, gives super-resolution what
    /// training gives it.
    /// </summary>
    public Tensor MaskImage(Tensor image, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var (b, c, r) = (image.size(0), image.size(1), image.size(2));
        var keep = mask.unsqueeze(1).to(image.dtype);                                                     // [B, 1, R, R]
        var background = tensor(Volume.Background.ToArray(), device: image.device).to(image.dtype).reshape(1, 3, 1, 1);
        var outside = cat([background.expand(b, 3, r, r), zeros([b, c - 3, r, r], image.dtype, image.device)], 1);
        return (image * keep + outside * keep.neg().add(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Evaluates the field at o + t·d: t [B, M, S] → outputs shaped [B, M, S, ·].</summary>
    private static FieldOutput Query(Func<Tensor, FieldOutput> field, Tensor origins, Tensor directions, Tensor t)
    {
        var (b, m, s) = (t.size(0), t.size(1), t.size(2));
        var points = RaySampler.Points(origins, directions, t).reshape(b, m * s, 3);
        var output = field(points);
        return new FieldOutput(
            output.Sigma.reshape(b, m, s, 1),
            output.Rgb.reshape(b, m, s, 3),
            output.Features.reshape(b, m, s, output.Features.size(-1)));
    }

    private static NeRFRenderResult Keep(NeRFRenderResult result)
    {
        foreach (var tensor in new[]
                 {
                     result.Final.Rgb, result.Final.Features, result.Final.Opacity, result.Final.Depth, result.Final.Weights, result.Final.T,
                     result.CoarseWeights, result.QueryWeights, result.Near, result.Far,
                 })
        {
            tensor.MoveToOuterDisposeScope();
        }
        return result;
    }
}
