using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Discriminators;

/// <summary>
/// The adversarial critic of S3D-NeRF Sec. 3.5 ("a GAN loss L_adv with the architecture of Style-GAN discriminator"):
/// a small StyleGAN2 residual discriminator (Karras et al. 2020, Fig. 7c and config E). A 1x1 fromRGB layer, residual
/// blocks that halve the resolution down to 4x4, then the epilogue: minibatch standard deviation (group 4, one
/// feature), a 3x3 conv, a linear layer and the final linear → one logit. All layers use the equalized learning rate
/// and leaky ReLU 0.2 with StyleGAN2's √2 gain. Simplification: the blur before each downsampling (FIR [1, 3, 3, 1])
/// is a 2x2 box filter (average pooling), so downsampling is avg_pool2d followed by the conv.
/// <para>
/// Widths: <see cref="S3DNeRFConfig.DiscriminatorChannels"/> c at full resolution, doubling per halving up to 4c.
/// Use one instance per image size: the fine frame (ImageSize) and the coarse inner-face render (RenderSize).
/// Losses: non-saturating logistic (<see cref="DiscriminatorLoss"/>, <see cref="GeneratorLoss"/>) and R1
/// (<see cref="R1Penalty(Tensor)"/>).
/// </para>
/// </summary>
public sealed class StyleGanDiscriminator : nn.Module<Tensor, Tensor>
{
    /// <summary>
    /// A starting R1 weight γ (the penalty enters the D loss as γ/2 · R1). StyleGAN2's heuristic 0.0002·S²/batch gives
    /// about 1 for 128-256 px at batch 4-16; EG3D trains FFHQ with γ = 1.
    /// </summary>
    public const double SuggestedR1Gamma = 1.0;

    private const double Slope = 0.2;
    private const int MinibatchGroup = 4;
    private static readonly double ActivationGain = Math.Sqrt(2);

    private readonly EqualizedConv2d _fromRgb;
    private readonly List<ResidualBlock> _blocks = [];
    private readonly EqualizedConv2d _epilogueConv;
    private readonly EqualizedLinear _epilogueLinear;
    private readonly EqualizedLinear _output;

    /// <param name="config">Uses DiscriminatorChannels; the image size defaults to ImageSize.</param>
    /// <param name="imageSize">S of the square inputs: a power of two, at least 8 (RenderSize for the coarse critic).</param>
    /// <param name="inChannels">Input channels (3 for RGB; 6 for an EG3D-style dual input that concatenates the upsampled
    /// coarse render with the fine frame).</param>
    public StyleGanDiscriminator(S3DNeRFConfig config, int? imageSize = null, int inChannels = 3) : base(nameof(StyleGanDiscriminator))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        var size = imageSize ?? config.ImageSize;
        if (size < 8 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(imageSize), $"StyleGAN discriminator input size {size} must be a power of two of at least 8");
        }
        if (inChannels < 1) throw new ArgumentOutOfRangeException(nameof(inChannels), $"inChannels {inChannels} must be positive");
        ImageSize = size;
        InChannels = inChannels;
        var c = config.DiscriminatorChannels;
        int Channels(int resolution) => Math.Min(c * (size / resolution), 4 * c);

        _fromRgb = new EqualizedConv2d(inChannels, Channels(size), 1);
        register_module("from_rgb", _fromRgb);
        var blocks = nn.ModuleList();
        for (var resolution = size; resolution > 4; resolution /= 2)
        {
            var block = new ResidualBlock(Channels(resolution), Channels(resolution / 2));
            _blocks.Add(block);
            blocks.Add(block);
        }
        register_module("blocks", blocks);
        var last = Channels(4);
        _epilogueConv = new EqualizedConv2d(last + 1, last, 3);
        _epilogueLinear = new EqualizedLinear(last * 4 * 4, last);
        _output = new EqualizedLinear(last, 1);
        register_module("epilogue_conv", _epilogueConv);
        register_module("epilogue_linear", _epilogueLinear);
        register_module("output", _output);
    }

    /// <summary>S: side of the square inputs.</summary>
    public int ImageSize { get; }

    public int InChannels { get; }

    /// <summary>Images [B, C, S, S] in [-1, 1] → logits [B, 1] (positive: judged real).</summary>
    public override Tensor forward(Tensor images)
    {
        var shape = images.shape;
        if (shape.Length != 4 || shape[1] != InChannels || shape[2] != ImageSize || shape[3] != ImageSize)
        {
            throw new ArgumentException($"images must be [B, {InChannels}, {ImageSize}, {ImageSize}], got [{string.Join(", ", shape)}]", nameof(images));
        }
        using var scope = NewDisposeScope();
        var x = Activate(_fromRgb.forward(images));
        foreach (var block in _blocks) x = block.forward(x);
        x = MinibatchStandardDeviation(x);
        x = Activate(_epilogueConv.forward(x));
        x = Activate(_epilogueLinear.forward(x.flatten(1)));
        return _output.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// StyleGAN2's minibatch standard deviation layer (ProGAN Sec. 3): per group of G = min(4, B) samples (the largest
    /// such G dividing B), the standard deviation of every feature over the group, averaged to one number per group and
    /// appended as an extra constant channel. Sample n belongs to group n mod (B / G), as in the reference code.
    /// [B, C, H, W] → [B, C + 1, H, W].
    /// </summary>
    internal static Tensor MinibatchStandardDeviation(Tensor x)
    {
        var shape = x.shape;
        long b = shape[0], c = shape[1], h = shape[2], w = shape[3];
        var group = Math.Min(MinibatchGroup, b);
        while (b % group != 0) group--;
        using var scope = NewDisposeScope();
        var y = x.reshape(group, b / group, c, h, w);
        y = y - y.mean(0, keepdim: true);
        var std = (y.square().mean(0) + 1e-8).sqrt(); // [B/G, C, H, W]
        var perGroup = std.mean([1L, 2L, 3L]).reshape(b / group, 1, 1, 1);
        var feature = perGroup.repeat(group, 1, h, w); // row n → group n mod (B/G)
        return cat([x, feature], 1).MoveToOuterDisposeScope();
    }

    /// <summary>Non-saturating logistic loss of the discriminator: softplus(D(fake)) + softplus(−D(real)), batch means → scalar.</summary>
    public static Tensor DiscriminatorLoss(Tensor realLogits, Tensor fakeLogits)
    {
        using var scope = NewDisposeScope();
        return (F.softplus(fakeLogits).mean() + F.softplus(-realLogits).mean()).MoveToOuterDisposeScope();
    }

    /// <summary>Non-saturating logistic loss of the generator: softplus(−D(fake)), batch mean → scalar (this is L_adv of Eq. 9).</summary>
    public static Tensor GeneratorLoss(Tensor fakeLogits)
    {
        using var scope = NewDisposeScope();
        return F.softplus(-fakeLogits).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// R1 regularisation (Mescheder et al. 2018, Eq. 9; StyleGAN2's r1_penalty): E‖∇ₓD(x)‖² over real images
    /// [B, C, S, S] → scalar. The gradient is taken with create_graph, so backward of the penalty trains D. Add
    /// γ/2 · R1 to the discriminator loss (see <see cref="SuggestedR1Gamma"/>). Runs its own forward pass on a
    /// detached copy of the images (so the images' own graph is untouched).
    /// </summary>
    public Tensor R1Penalty(Tensor realImages)
    {
        using var scope = NewDisposeScope();
        using var grad = enable_grad();
        var real = realImages.detach().requires_grad_();
        return R1Penalty(forward(real), real).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// R1 from logits [B, 1] already computed from <paramref name="realImages"/> [B, C, S, S] that require grad (to reuse
    /// the forward pass of the D loss) → scalar. An input the logits do not depend on has a zero penalty.
    /// </summary>
    public static Tensor R1Penalty(Tensor realLogits, Tensor realImages)
    {
        if (!realImages.requires_grad) throw new ArgumentException("R1 needs the logits' input images to require grad", nameof(realImages));
        using var scope = NewDisposeScope();
        var gradient = autograd.grad([realLogits.sum()], [realImages], create_graph: true, allow_unused: true)[0];
        if (gradient is null) return zeros([], realLogits.dtype, realLogits.device).MoveToOuterDisposeScope();
        return gradient.square().sum([1L, 2L, 3L]).mean().MoveToOuterDisposeScope();
    }

    private static Tensor Activate(Tensor x) => F.leaky_relu(x, Slope) * ActivationGain;

    /// <summary>
    /// StyleGAN2 residual D block: two 3x3 convs (the second after downsampling) plus a downsampled 1x1 skip, summed
    /// and scaled by 1/√2 to keep the variance. [B, C_in, R, R] → [B, C_out, R/2, R/2].
    /// </summary>
    private sealed class ResidualBlock : nn.Module<Tensor, Tensor>
    {
        private readonly EqualizedConv2d _conv0;
        private readonly EqualizedConv2d _conv1;
        private readonly EqualizedConv2d _skip;

        public ResidualBlock(long inChannels, long outChannels) : base(nameof(ResidualBlock))
        {
            _conv0 = new EqualizedConv2d(inChannels, inChannels, 3);
            _conv1 = new EqualizedConv2d(inChannels, outChannels, 3);
            _skip = new EqualizedConv2d(inChannels, outChannels, 1, bias: false);
            register_module("conv0", _conv0);
            register_module("conv1", _conv1);
            register_module("skip", _skip);
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var skip = _skip.forward(F.avg_pool2d(input, 2));
            var x = Activate(_conv0.forward(input));
            x = Activate(_conv1.forward(F.avg_pool2d(x, 2)));
            return ((x + skip) * Math.Sqrt(0.5)).MoveToOuterDisposeScope();
        }
    }
}
