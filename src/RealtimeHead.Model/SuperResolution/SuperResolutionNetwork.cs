using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.SuperResolution;

/// <summary>
/// The super-resolution module of S3D-NeRF Sec. 3.3: I_fine = Supres(I_coar, I_src_full). The paper's appendix with its
/// architecture is not available; this design follows its description (the NeRF renders only the inner face, the
/// module adds the outer face, background and detail) with EG3D's idea of rendering features beside RGB and an
/// EDSR-style residual trunk, arranged as a small two-scale U-Net to stay cheap on a CPU:
/// <list type="number">
/// <item>source branch at S: conv 3×3 (3 → h) — the full-resolution skip; then a stride-k conv 3×3 (h → C) down to R
/// (k = S/R);</item>
/// <item>coarse branch at R: conv 3×3 (3 + Cf → C) on the rendered RGB and features;</item>
/// <item>fusion at R: concat, conv 1×1 (2C → C), then <c>residualBlocks</c> residual blocks (C);</item>
/// <item>upsampling: conv 1×1 (C → h·k²) and pixel_shuffle(k) to S (ESPCN, Shi et al. 2016);</item>
/// <item>refinement at S: concat with the source skip and the source image itself, conv 3×3 (2h + 3 → h), conv 3×3
/// (h → 3) = Δ;</item>
/// <item>output: I_fine = I_src_full + Δ, clamped to [-1, 1] outside training.</item>
/// </list>
/// Why a residual on the source image: the camera and background do not move between the source and the driven frames,
/// and the outer face and hair move only with the head pose, so most of I_fine is I_src_full. With Δ's conv initialised
/// at a tenth of its usual scale (bias 0) the untrained module already returns (almost) the source image, and training
/// spends its steps on the face the NeRF renders instead of on learning to copy the background through a stack of
/// convs. (The first design ended in a tanh and had to learn that copy: after 4000 CPU steps its backgrounds were still
/// blurred.) Training sees the unclamped sum, so no pixel loses its gradient at the range's ends.
/// Every conv but the last is followed by LeakyReLU(0.2). C = <see cref="S3DNeRFConfig.SuperResolutionChannels"/>,
/// h = max(8, C/4). Images are in [-1, 1] (source and output); the coarse render is the renderer's RGB in [0, 1] followed by
/// its features (the first conv learns any offset).
/// </summary>
public sealed class SuperResolutionNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Conv2d _sourceFull;
    private readonly Conv2d _sourceDown;
    private readonly Conv2d _coarseIn;
    private readonly Conv2d _fuse;
    private readonly ModuleList _blocks;
    private readonly Conv2d _up;
    private readonly Conv2d _refine;
    private readonly Conv2d _output;

    /// <param name="coarseChannels">3 + Cf: channels of the coarse render.</param>
    /// <param name="renderSize">R: side of the coarse render.</param>
    /// <param name="imageSize">S: side of the source and output images; a multiple of R.</param>
    /// <param name="channels">C: width of the trunk at R.</param>
    /// <param name="residualBlocks">Residual blocks in the trunk (2 by default).</param>
    public SuperResolutionNetwork(int coarseChannels, int renderSize, int imageSize, int channels, int residualBlocks = 2)
        : base(nameof(SuperResolutionNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(coarseChannels, 3);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(renderSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegative(residualBlocks);
        if (imageSize < renderSize || imageSize % renderSize != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), imageSize, $"must be a multiple of the render size {renderSize}");
        }
        CoarseChannels = coarseChannels;
        RenderSize = renderSize;
        ImageSize = imageSize;
        Channels = channels;
        FullResolutionChannels = Math.Max(8, channels / 4);
        Scale = imageSize / renderSize;
        var h = FullResolutionChannels;
        _sourceFull = nn.Conv2d(3, h, 3, padding: 1);
        // Kernel 3, padding 1, stride k: floor((S − 1)/k) + 1 = S/k = R outputs when k divides S.
        _sourceDown = nn.Conv2d(h, channels, 3, stride: Scale, padding: 1);
        _coarseIn = nn.Conv2d(coarseChannels, channels, 3, padding: 1);
        _fuse = nn.Conv2d(2 * channels, channels, 1);
        _blocks = new ModuleList(Enumerable.Range(0, residualBlocks).Select(_ => (nn.Module)new ResidualBlock(channels)));
        _up = nn.Conv2d(channels, h * Scale * Scale, 1);
        _refine = nn.Conv2d(2 * h + 3, h, 3, padding: 1);
        _output = nn.Conv2d(h, 3, 3, padding: 1);
        using (no_grad())
        {
            _output.weight.mul_(ResidualInitScale);
            _output.bias!.zero_();
        }
        RegisterComponents();
    }

    /// <summary>Sizes from the config: 3 + RenderFeatureChannels in, RenderSize → ImageSize, SuperResolutionChannels wide.</summary>
    public SuperResolutionNetwork(S3DNeRFConfig config, int residualBlocks = 2)
        : this(3 + config.RenderFeatureChannels, config.RenderSize, config.ImageSize, config.SuperResolutionChannels, residualBlocks)
    {
    }

    /// <summary>Δ's conv starts at this fraction of its default initialisation, so I_fine starts near I_src_full.</summary>
    public const double ResidualInitScale = 0.1;

    public int CoarseChannels { get; }
    public int RenderSize { get; }
    public int ImageSize { get; }
    public int Channels { get; }

    /// <summary>h: channels kept at full resolution S.</summary>
    public int FullResolutionChannels { get; }

    /// <summary>k = S / R.</summary>
    public int Scale { get; }

    public int ResidualBlocks => _blocks.Count;

    /// <summary>
    /// Multiply-accumulates of one frame (convolution weights only; biases, activations and pixel_shuffle are
    /// negligible). FLOPs ≈ 2 × this. Tiny (R 32, S 128, C 32, Cf 13, 2 blocks): 80,609,280 MACs ≈ 0.16 GFLOPs.
    /// </summary>
    public long MultiplyAccumulatesPerFrame()
    {
        long full = (long)ImageSize * ImageSize, low = (long)RenderSize * RenderSize;
        long c = Channels, h = FullResolutionChannels, k = Scale;
        var total = full * h * 3 * 9;                     // source conv at S
        total += low * c * h * 9;                          // stride-k conv to R
        total += low * c * CoarseChannels * 9;             // coarse conv at R
        total += low * c * 2 * c;                          // 1×1 fusion
        total += ResidualBlocks * 2 * low * c * c * 9;     // trunk
        total += low * h * k * k * c;                      // 1×1 before pixel_shuffle
        total += full * h * (2 * h + 3) * 9;               // refinement at S
        total += full * 3 * h * 9;                         // output conv
        return total;
    }

    /// <summary>
    /// coarse [B, 3 + Cf, R, R] (rendered RGB in [0, 1] and features), source [B, 3, S, S] in [-1, 1] → I_fine [B, 3, S, S]
    /// (the source plus a learned residual; in [-1, 1] outside training).
    /// </summary>
    public override Tensor forward(Tensor coarse, Tensor source)
    {
        using var scope = NewDisposeScope();
        using var encoded = EncodeSource(source);
        return Decode(coarse, encoded).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The source branch alone (it depends on the portrait only, so streaming inference caches it): source
    /// [B, 3, S, S] in [-1, 1] → <see cref="SuperResolutionSource"/> (features [B, h, S, S] and [B, C, R, R]).
    /// </summary>
    public SuperResolutionSource EncodeSource(Tensor source)
    {
        if (source.Dimensions != 4 || source.size(1) != 3 || source.size(2) != ImageSize || source.size(3) != ImageSize)
        {
            throw new ArgumentException($"source must be [B, 3, {ImageSize}, {ImageSize}], got {source}", nameof(source));
        }
        using var scope = NewDisposeScope();
        var sourceFull = Activate(_sourceFull.forward(source));                 // [B, h, S, S]
        var sourceLow = Activate(_sourceDown.forward(sourceFull));              // [B, C, R, R]
        return new SuperResolutionSource(source.alias(), sourceFull, sourceLow).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The rest of the module given the encoded source: coarse [B, 3 + Cf, R, R] → I_fine [B, 3, S, S], in [-1, 1] outside
    /// training (in training the residual sum is not clamped).
    /// </summary>
    public Tensor Decode(Tensor coarse, SuperResolutionSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (coarse.Dimensions != 4 || coarse.size(1) != CoarseChannels || coarse.size(2) != RenderSize || coarse.size(3) != RenderSize)
        {
            throw new ArgumentException($"coarse must be [B, {CoarseChannels}, {RenderSize}, {RenderSize}], got {coarse}", nameof(coarse));
        }
        if (source.BatchSize != coarse.size(0))
        {
            throw new ArgumentException($"the encoded source has batch size {source.BatchSize}, the coarse render {coarse.size(0)}", nameof(source));
        }
        using var scope = NewDisposeScope();
        var coarseLow = Activate(_coarseIn.forward(coarse));                    // [B, C, R, R]
        var x = Activate(_fuse.forward(cat([coarseLow, source.Low], 1)));       // [B, C, R, R]
        foreach (var block in _blocks) x = ((ResidualBlock)block).forward(x);
        var up = _up.forward(x);                                                // [B, h·k², R, R]
        if (Scale > 1) up = F.pixel_shuffle(up, Scale);                         // [B, h, S, S]
        up = Activate(up);
        var refined = Activate(_refine.forward(cat([up, source.Full, source.Image], 1))); // [B, h, S, S]
        var fine = source.Image + _output.forward(refined);                   // [B, 3, S, S]
        return (training ? fine : fine.clamp(-1, 1)).MoveToOuterDisposeScope();
    }

    private static Tensor Activate(Tensor x) => F.leaky_relu(x, 0.2);
}
