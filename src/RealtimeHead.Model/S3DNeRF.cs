using RealtimeHead.Model.Camera;
using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.Encoder;
using RealtimeHead.Model.Placement;
using RealtimeHead.Model.Rendering;
using RealtimeHead.Model.SuperResolution;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model;

/// <summary>
/// What one forward pass of <see cref="S3DNeRF"/> produced. Owns its tensors.
/// </summary>
/// <param name="Coarse">I_gen^coar [B, 3 + Cf, R, R]: volume-rendered RGB in [0, 1] over a black background, then the Cf
/// rendered features (Sec. 3.3); outside an inner-face mask the background and zero features.</param>
/// <param name="Fine">I_gen^fine [B, 3, S, S] in [-1, 1]: the super-resolved frame; null when super-resolution was skipped.</param>
/// <param name="Deformation">Δx [B, N, 3] of every queried point (coarse samples of all rays, then importance samples), in
/// the normalised source tri-plane frame (the input of L_deform); null for the "w/o Deform" variant.</param>
/// <param name="Opacity">[B, R, R]: accumulated opacity of each ray.</param>
public sealed record S3DNeRFOutput(Tensor Coarse, Tensor? Fine, Tensor? Deformation, Tensor Opacity) : IDisposable
{
    /// <summary>The coarse RGB mapped to the image range [-1, 1]: [B, 3, R, R].</summary>
    public Tensor CoarseRgb() => Coarse.narrow(1, 0, 3).mul(2).sub(1);

    public void Dispose()
    {
        Coarse.Dispose();
        Fine?.Dispose();
        Deformation?.Dispose();
        Opacity.Dispose();
    }
}

/// <summary>
/// Everything S3D-NeRF derives from the source portrait alone, for a batch of B portraits: the appearance tri-planes
/// (Sec. 3.1, Eq. 1), F_agg (Sec. 3.2; null for the Naive and None variants), the super-resolution module's source
/// branch and the source pose. Computed once per portrait and reused for every frame. Owns its tensors.
/// </summary>
public sealed class PortraitFeatures : IDisposable
{
    /// <param name="planes">Per level [B, 3, C, H_i, W_i].</param>
    /// <param name="aggregated">F_agg [B, H_s·W_s, D_slot] or null.</param>
    /// <param name="superResolutionSource">Source branch of the super-resolution module for the B portraits.</param>
    /// <param name="sourcePose">P_src [B, 4, 4].</param>
    public PortraitFeatures(IReadOnlyList<Tensor> planes, Tensor? aggregated, SuperResolutionSource superResolutionSource, Tensor sourcePose)
    {
        Planes = planes ?? throw new ArgumentNullException(nameof(planes));
        Aggregated = aggregated;
        SuperResolutionSource = superResolutionSource ?? throw new ArgumentNullException(nameof(superResolutionSource));
        SourcePose = sourcePose ?? throw new ArgumentNullException(nameof(sourcePose));
    }

    /// <summary>Per level [B, 3, C, H_i, W_i] (xy, yz, xz).</summary>
    public IReadOnlyList<Tensor> Planes { get; }

    /// <summary>F_agg [B, H_s·W_s, D_slot]; null when the variant has no aggregation.</summary>
    public Tensor? Aggregated { get; }

    public SuperResolutionSource SuperResolutionSource { get; }

    /// <summary>P_src [B, 4, 4].</summary>
    public Tensor SourcePose { get; }

    public long BatchSize => SourcePose.size(0);

    /// <summary>Concatenates the features of several portraits along the batch (each entry [B_k, ...] → [ΣB_k, ...]).</summary>
    public static PortraitFeatures Concat(IReadOnlyList<PortraitFeatures> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(items));
        using var scope = NewDisposeScope();
        var levels = items[0].Planes.Count;
        var planes = new Tensor[levels];
        for (var i = 0; i < levels; i++) planes[i] = cat(items.Select(p => p.Planes[i]).ToArray(), 0).MoveToOuterDisposeScope();
        var aggregated = items[0].Aggregated is null ? null : cat(items.Select(p => p.Aggregated!).ToArray(), 0).MoveToOuterDisposeScope();
        var source = SuperResolutionSource.Concat(items.Select(p => p.SuperResolutionSource).ToArray()).MoveToOuterDisposeScope();
        var pose = cat(items.Select(p => p.SourcePose).ToArray(), 0).MoveToOuterDisposeScope();
        return new PortraitFeatures(planes, aggregated, source, pose);
    }

    public void Dispose()
    {
        foreach (var plane in Planes) plane.Dispose();
        Aggregated?.Dispose();
        SuperResolutionSource.Dispose();
        SourcePose.Dispose();
    }
}

/// <summary>
/// S3D-NeRF (Li et al., ECCV 2024) assembled from its components for one <see cref="S3DNeRFConfig"/> (every
/// <see cref="DeformationVariant"/>). Per frame (Fig. 2):
/// <list type="number">
/// <item>the source image goes through the Hierarchical Facial Appearance Encoder → multi-scale tri-planes (Sec. 3.1, Eq. 1)
/// and the slot aggregation F_agg (Sec. 3.2);</item>
/// <item>the audio window → a_dri, and F_cm = MHCA(F_agg, a_dri) (Eq. 3);</item>
/// <item>rays from the target pose P_tar through the R×R render, stratified then importance samples in the head cube;</item>
/// <item>each world point x → x_n = Inv(P_src)·x / HeadExtent (the source tri-plane frame of Eq. 2), deformed by
/// Δx = Deform(x_n, a_dri, F_cm), x̃ = x_n + Δx (Eq. 4);</item>
/// <item>F_xyz(x̃) = Interp(F^i, x̃) summed over planes, concatenated over levels (Eq. 2) (+ ā_dri for "w/o Deform");</item>
/// <item>the tri-plane decoder → σ, c, features; volume rendering (Eq. 5) → I_gen^coar [B, 3 + Cf, R, R];</item>
/// <item>super-resolution with the full source image → I_gen^fine [B, 3, S, S] (Sec. 3.3).</item>
/// </list>
/// Steps 1 and the super-resolution source branch depend on the portrait only: <see cref="EncodePortrait"/> computes them
/// once and <see cref="Render"/> reuses them (the streaming path of <see cref="Inference.S3DNeRFInference"/>);
/// <see cref="forward"/> runs everything (training). Sampling is jittered in training mode only, so in eval mode both paths
/// give the same image.
/// <para>
/// Device and precision: the model computes on <see cref="Device"/>, the device of its parameters (see <see cref="Place"/>);
/// inputs may live anywhere and are moved there once at each public entry point, and every tensor the model makes follows
/// its inputs. With reduced-precision weights (<see cref="ComputeType"/> bf16 or fp16, CUDA only) the encoder, audio
/// encoder, attention, deformation MLP, decoder MLP and super-resolution run in that type, while poses, rays, samples,
/// the tri-plane frame, tri-plane look-ups (the planes are kept in fp32) and volume compositing stay fp32; every output is fp32.
/// </para>
/// </summary>
public sealed class S3DNeRF : nn.Module
{
    private readonly HierarchicalAppearanceEncoder _encoder;
    private readonly FacialDeformation _deformation;
    private readonly TriPlaneDecoder _decoder;
    private readonly SuperResolutionNetwork _superResolution;
    private readonly TriPlaneSpace _space;
    private readonly NeRFRenderer _renderer;
    private readonly NeRFRenderer _halfRenderer;

    public S3DNeRF(S3DNeRFConfig config) : base(nameof(S3DNeRF))
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config.EnsureValid();
        _encoder = new HierarchicalAppearanceEncoder(config);
        _deformation = new FacialDeformation(config);
        // "w/o Deform" (Table 3): the decoder reads the tri-plane features with ā_dri appended.
        _decoder = new TriPlaneDecoder(config, DeformationField.TriPlaneFeatureChannels(config));
        _superResolution = new SuperResolutionNetwork(config);
        _space = new TriPlaneSpace(config);
        _renderer = new NeRFRenderer(config);
        var half = Math.Max(1, config.RenderSize / 2);
        _halfRenderer = new NeRFRenderer(new RayGenerator(half, config.FocalLength), new RaySampler(config), new VolumeRenderer());
        RegisterComponents();
    }

    public S3DNeRFConfig Config { get; }

    /// <summary>The device the parameters live on; every tensor the model computes lives there too.</summary>
    public Device Device => parameters().First().device;

    /// <summary>The element type of the parameters: Float32, or BFloat16/Float16 after a reduced-precision <see cref="Place"/>.</summary>
    public ScalarType ComputeType => parameters().First().dtype;

    /// <summary>
    /// Moves the parameters to <paramref name="placement"/>'s device and, for reduced precision, casts them once (references
    /// to the parameters stay valid). Checks first that the placement can run here (<see cref="ModelPlacement.EnsureAvailable()"/>).
    /// Reduced precision is for inference: training needs fp32 weights.
    /// </summary>
    /// <exception cref="InvalidOperationException">CUDA is not available, no such GPU, or reduced precision on the CPU.</exception>
    public S3DNeRF Place(ModelPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(placement);
        placement.EnsureAvailable();
        to(placement.Device);
        to(placement.ComputeType);
        return this;
    }

    public HierarchicalAppearanceEncoder Encoder => _encoder;
    public FacialDeformation Deformation => _deformation;
    public TriPlaneDecoder Decoder => _decoder;
    public SuperResolutionNetwork SuperResolution => _superResolution;

    /// <summary>The R×R renderer of the config.</summary>
    public NeRFRenderer Renderer => _renderer;

    /// <summary>An R/2 × R/2 renderer with the same field of view (the LowResolution rung of the degradation ladder).</summary>
    public NeRFRenderer HalfResolutionRenderer => _halfRenderer;

    /// <summary>
    /// Training forward, everything from the images: source [B, 3, S, S] in [-1, 1], P_src [B, 4, 4], audio windows
    /// [B, W, AudioFeatureDim], P_tar [B, 4, 4], optional inner-face mask [B, R, R] (nonzero = render that ray; the
    /// rest is background) → coarse [B, 3 + Cf, R, R], fine [B, 3, S, S], Δx [B, N, 3].
    /// </summary>
    public S3DNeRFOutput forward(Tensor source, Tensor sourcePose, Tensor audio, Tensor targetPose, Tensor? innerFaceMask = null)
    {
        S3DNeRFInputs.ValidateFrame(Config, source, sourcePose, audio, targetPose);
        if (innerFaceMask is not null) S3DNeRFInputs.ValidateMask(Config, innerFaceMask, source.size(0));
        using var scope = NewDisposeScope();
        using var portrait = EncodePortraitCore(source, sourcePose, validate: false);
        using var conditioning = Condition(portrait, audio);
        var output = Render(portrait, conditioning, targetPose, innerFaceMask);
        return Keep(output);
    }

    /// <summary>
    /// The portrait-only part: source [B, 3, S, S] in [-1, 1] and P_src [B, 4, 4] → tri-planes (Eq. 1), F_agg (Sec. 3.2)
    /// and the super-resolution source branch.
    /// </summary>
    public PortraitFeatures EncodePortrait(Tensor source, Tensor sourcePose) => EncodePortraitCore(source, sourcePose, validate: true);

    private PortraitFeatures EncodePortraitCore(Tensor source, Tensor sourcePose, bool validate)
    {
        if (validate)
        {
            S3DNeRFInputs.ValidateImage(Config, source, nameof(source));
            S3DNeRFInputs.ValidatePose(sourcePose, source.size(0), nameof(sourcePose));
        }
        using var scope = NewDisposeScope();
        var (device, type) = (Device, ComputeType);
        var image = source.to(type, device);
        using var pyramid = _encoder.forward(image);
        // Tri-plane look-ups happen at fp32 sample positions: keep the planes fp32 (a no-op for an fp32 model).
        var planes = pyramid.Planes.Select(p => p.to(ScalarType.Float32).alias().MoveToOuterDisposeScope()).ToArray();
        var aggregated = _deformation.Aggregator?.forward(pyramid).MoveToOuterDisposeScope();
        var superResolution = _superResolution.EncodeSource(image).MoveToOuterDisposeScope();
        return new PortraitFeatures(planes, aggregated, superResolution, sourcePose.to(ScalarType.Float32, device).alias().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The per-frame conditioning of the deformation (Sec. 3.2): audio windows [B, W, AudioFeatureDim] → a_dri
    /// [B, T_a, AudioDim] and, for the cross-modal variant, F_cm = MHCA(F_agg, a_dri) (Eq. 3).
    /// </summary>
    public DeformationConditioning Condition(PortraitFeatures portrait, Tensor audio)
    {
        ArgumentNullException.ThrowIfNull(portrait);
        S3DNeRFInputs.ValidateAudio(Config, audio, portrait.BatchSize, nameof(audio));
        using var scope = NewDisposeScope();
        var audioFeature = _deformation.Audio.forward(audio.to(ComputeType, Device));
        Tensor? correlation = null, weights = null;
        if (_deformation.Attention is { } attention) (correlation, weights) = attention.forward(portrait.Aggregated!, audioFeature);
        // The conditioning owns its tensors: F_agg is aliased so disposing it leaves the portrait's copy alive.
        return new DeformationConditioning(
            audioFeature.MoveToOuterDisposeScope(),
            portrait.Aggregated?.alias().MoveToOuterDisposeScope(),
            correlation?.MoveToOuterDisposeScope(),
            weights?.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Renders frames from cached portrait features: P_tar [B, 4, 4], optional mask [B, R', R'] → coarse
    /// [B, 3 + Cf, R', R'], fine [B, 3, S, S] (when <paramref name="superResolve"/>), Δx [B, N, 3]. R' is R, or R/2 with
    /// <paramref name="halfResolution"/> (which implies no super-resolution: the module is trained at R).
    /// <paramref name="maxPointsPerChunk"/> bounds the points of one field evaluation (memory): without a mask, the rays are
    /// rendered in chunks of whole rays so that B·rays·(S_c + S_f) stays under it. Rays are independent, so the image is
    /// the same (bit for bit in eval mode); Δx is then ordered chunk by chunk.
    /// </summary>
    public S3DNeRFOutput Render(PortraitFeatures portrait, DeformationConditioning conditioning, Tensor targetPose, Tensor? innerFaceMask = null,
        bool superResolve = true, bool halfResolution = false, long? maxPointsPerChunk = null)
    {
        ArgumentNullException.ThrowIfNull(portrait);
        ArgumentNullException.ThrowIfNull(conditioning);
        S3DNeRFInputs.ValidatePose(targetPose, portrait.BatchSize, nameof(targetPose));
        var renderer = halfResolution ? _halfRenderer : _renderer;
        using var scope = NewDisposeScope();
        var deltas = new List<Tensor>();
        try
        {
            FieldOutput Field(Tensor points) => QueryField(points, portrait, conditioning, deltas);
            var device = Device;
            var pose = targetPose.to(ScalarType.Float32, device);
            Tensor coarse, opacity;
            if (innerFaceMask is not null)
            {
                var rendered = renderer.RenderMasked(Field, pose, innerFaceMask.to(device), training);
                (coarse, opacity) = (rendered.Image, rendered.Opacity);
            }
            else if (maxPointsPerChunk is { } budget && pose.size(0) * renderer.PointsPerImage > budget)
            {
                (coarse, opacity) = RenderChunked(renderer, Field, pose, budget);
            }
            else
            {
                var rendered = renderer.RenderImage(Field, pose, training);
                (coarse, opacity) = (rendered.Image, rendered.Opacity);
            }
            // Without a mask, the module reads the coarse render masked by the NeRF's own opacity, as training masks it
            // by the inner face (see SelfMaskOpacity); the returned coarse render stays whole.
            Tensor? fine = null;
            if (superResolve && !halfResolution)
            {
                var input = innerFaceMask is null ? renderer.MaskImage(coarse, opacity.gt(SelfMaskOpacity)) : coarse;
                fine = _superResolution.Decode(input.to(ComputeType), portrait.SuperResolutionSource).to(ScalarType.Float32);
            }
            Tensor? delta = deltas.Count == 0 ? null : cat(deltas, 1);
            return Keep(new S3DNeRFOutput(coarse, fine, delta, opacity));
        }
        finally
        {
            foreach (var delta in deltas) delta.Dispose();
        }
    }

    /// <summary>
    /// The opacity above which a ray counts as inner face when no inner-face mask is given (inference, and training on
    /// data without masks).
    /// <para>
    /// Why: training renders only the rays of the target's inner-face mask and gives the super-resolution module the
    /// background colour and zero features elsewhere (Sec. 3.3, <see cref="NeRFRenderer.RenderMasked"/>). At inference no
    /// mask exists, every ray is rendered, and the rays outside the face carry whatever the field, never supervised there,
    /// holds: the module then sees inputs it was never trained on and tints and blurs the whole frame (on the tiny preset
    /// this cost 1.6-2.2 dB PSNR on two held-out clips at step 2000). The field is trained to be opaque where the inner
    /// face is, so its own opacity is the mask inference can have: rays below this opacity are replaced by what training
    /// gives outside the mask.
    /// </para>
    /// </summary>
    public const double SelfMaskOpacity = 0.5;

    /// <summary>
    /// Every pixel in chunks of rays: pose [B, 4, 4] → image [B, 3 + Cf, r, r] and opacity [B, r, r], as
    /// <see cref="NeRFRenderer.RenderImage"/> lays them out, with at most <paramref name="budget"/> field points per call.
    /// </summary>
    private (Tensor Image, Tensor Opacity) RenderChunked(NeRFRenderer renderer, Func<Tensor, FieldOutput> field, Tensor pose, long budget)
    {
        using var scope = NewDisposeScope();
        var rays = renderer.Rays.Generate(pose);
        var (b, r, m) = (pose.size(0), (long)renderer.Resolution, rays.Count);
        var samples = (long)renderer.Sampler.CoarseSamples + renderer.Sampler.ImportanceSamples;
        var chunk = Math.Max(1, budget / (b * samples));
        var colours = new List<Tensor>();
        var opacities = new List<Tensor>();
        for (long start = 0; start < m; start += chunk)
        {
            var length = Math.Min(chunk, m - start);
            var result = renderer.RenderRays(field, rays.Origins.narrow(1, start, length), rays.Directions.narrow(1, start, length), training);
            colours.Add(cat([result.Final.Rgb, result.Final.Features], -1));
            opacities.Add(result.Final.Opacity);
        }
        var image = cat(colours, 1).permute(0, 2, 1).reshape(b, -1, r, r);
        var opacity = cat(opacities, 1).reshape(b, r, r);
        return (image.MoveToOuterDisposeScope(), opacity.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// The radiance field at world points [B, N, 3] → σ [B, N, 1], rgb [B, N, 3], features [B, N, Cf]; Δx [B, N, 3] is
    /// appended to <paramref name="deltas"/> (owned by the caller).
    /// </summary>
    private FieldOutput QueryField(Tensor worldPoints, PortraitFeatures portrait, DeformationConditioning conditioning, List<Tensor> deltas)
    {
        // S3D-NeRF Eq. 2: Inv(P_src)·x, normalised so the head cube is [-1, 1]³.
        var points = _space.ToTriPlane(worldPoints, portrait.SourcePose);
        Tensor features;
        if (_deformation.Variant == DeformationVariant.None)
        {
            // "w/o Deform" (Table 3): no Δx; ā_dri joins the sampled tri-plane features.
            features = DeformationField.AppendAudio(TriPlaneSampler.Sample(portrait.Planes, points), conditioning.Audio);
        }
        else
        {
            // S3D-NeRF Eq. 4: Δx = Deform(x, a_dri, F_cm), x̃ = x + Δx; then Eq. 2's Interp at x̃.
            var delta = _deformation.forward(points, conditioning);
            deltas.Add(delta.alias().DetachFromDisposeScope());
            features = TriPlaneSampler.Sample(portrait.Planes, points.add(delta));
        }
        return _decoder.forward(features);
    }

    /// <summary>
    /// Upsamples the coarse RGB to the frame size (the NoSuperResolution and LowResolution rungs): coarse
    /// [B, 3 + Cf, r, r] → [B, 3, S, S] in [-1, 1].
    /// </summary>
    public Tensor UpsampleCoarse(Tensor coarse)
    {
        using var scope = NewDisposeScope();
        var rgb = coarse.narrow(1, 0, 3).mul(2).sub(1);
        if (rgb.size(2) == Config.ImageSize) return rgb.MoveToOuterDisposeScope();
        return F.interpolate(rgb, [Config.ImageSize, Config.ImageSize], mode: InterpolationMode.Bilinear, align_corners: false).MoveToOuterDisposeScope();
    }

    private static S3DNeRFOutput Keep(S3DNeRFOutput output)
    {
        output.Coarse.MoveToOuterDisposeScope();
        output.Fine?.MoveToOuterDisposeScope();
        output.Deformation?.MoveToOuterDisposeScope();
        output.Opacity.MoveToOuterDisposeScope();
        return output;
    }
}
