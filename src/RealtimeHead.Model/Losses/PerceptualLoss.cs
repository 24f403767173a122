using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Losses;

/// <summary>Value range of the images a loss receives.</summary>
public enum ImageRange
{
    /// <summary>[-1, 1] (the generator's and the StyleGAN discriminator's convention).</summary>
    MinusOneToOne,

    /// <summary>[0, 1].</summary>
    ZeroToOne,
}

/// <summary>What a <see cref="PerceptualLoss"/> compares.</summary>
public enum PerceptualLossKind
{
    /// <summary>ImageNet-trained VGG19 features (Johnson et al. 2016): the paper's L_per.</summary>
    Vgg19,

    /// <summary>The weight-free stand-in used when no VGG19 weights are available (see <see cref="PerceptualLoss"/>).</summary>
    StructuralSubstitute,
}

/// <summary>
/// L_per of S3D-NeRF Sec. 3.5 / Eq. 9: the L1 distance between VGG19 feature maps of the generated and the target image
/// at relu1_2, relu2_2, relu3_4, relu4_4 and relu5_4, each layer's mean absolute difference weighted equally and summed.
/// Inputs are mapped to [0, 1] and normalised with the ImageNet mean and standard deviation, as torchvision's
/// VGG19 expects. Images must be at least 16x16 (relu5_4 sits after four 2x poolings).
/// <para>
/// Weights: torchvision's <c>vgg19(weights=IMAGENET1K_V1).features</c> state dict saved as safetensors with its own names
/// (<c>features.0.weight</c>, <c>features.0.bias</c>, <c>features.2.weight</c>, ...: see <see cref="ConvIndices"/>), loaded
/// by <see cref="FromSafeTensors"/>. Other entries of the file (e.g. <c>classifier.*</c>) are ignored and not read.
/// </para>
/// <para>
/// Without weights (<see cref="Create"/> with no file) the loss is a documented substitute, not VGG:
/// a multi-scale structure loss over five scales (the image, then 2x average-pooled four times, mirroring VGG's five
/// stages): at each scale the L1 distance of the horizontal and vertical finite differences (edges) plus
/// (1 − SSIM)/2 with 3x3 windows (Wang et al. 2004; C1 = 0.01², C2 = 0.03² on [0, 1] images), averaged over the
/// scales. It is zero for identical images and penalises blur and misplaced edges, which is what L_per adds to the
/// pixel MSE; it does not capture the texture statistics of a trained network. A warning is logged when it is used.
/// </para>
/// The VGG weights are non-persistent buffers: they move with <c>to(device)</c>, never train, and stay out of
/// model checkpoints.
/// </summary>
public sealed partial class PerceptualLoss : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Indices of the conv layers in torchvision's vgg19.features (config "E": ReLU after each conv, max-pool after 3, 8, 17, 26).</summary>
    public static IReadOnlyList<int> ConvIndices { get; } = [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34];

    /// <summary>Names of the compared activations, in order of <see cref="Features"/>.</summary>
    public static IReadOnlyList<string> LayerNames { get; } = ["relu1_2", "relu2_2", "relu3_4", "relu4_4", "relu5_4"];

    private static readonly int[] ConvOutChannels = [64, 64, 128, 128, 256, 256, 256, 256, 512, 512, 512, 512, 512, 512, 512, 512];

    // Positions in ConvIndices after whose ReLU a feature is tapped (convs 2, 7, 16, 25, 34) and a 2x max-pool follows.
    private static readonly int[] TapAfter = [1, 3, 7, 11, 15];

    private const int MinimumSide = 16;

    private readonly Tensor[] _weights = [];
    private readonly Tensor[] _biases = [];
    private readonly Tensor _mean;
    private readonly Tensor _std;

    private PerceptualLoss(PerceptualLossKind kind, IReadOnlyList<Tensor>? weights, IReadOnlyList<Tensor>? biases, ImageRange range)
        : base(nameof(PerceptualLoss))
    {
        Kind = kind;
        Range = range;
        _mean = tensor(new[] { 0.485f, 0.456f, 0.406f }, [1, 3, 1, 1]);
        _std = tensor(new[] { 0.229f, 0.224f, 0.225f }, [1, 3, 1, 1]);
        register_buffer("imagenet_mean", _mean, persistent: false);
        register_buffer("imagenet_std", _std, persistent: false);
        if (kind != PerceptualLossKind.Vgg19) return;
        _weights = weights!.ToArray();
        _biases = biases!.ToArray();
        for (var i = 0; i < _weights.Length; i++)
        {
            register_buffer($"features_{ConvIndices[i]}_weight", _weights[i], persistent: false);
            register_buffer($"features_{ConvIndices[i]}_bias", _biases[i], persistent: false);
        }
    }

    public PerceptualLossKind Kind { get; }

    public ImageRange Range { get; }

    /// <summary>The torchvision state-dict name and shape of every tensor VGG19's features need, in layer order.</summary>
    public static IReadOnlyList<(string name, long[] shape)> ExpectedEntries()
    {
        var result = new List<(string, long[])>();
        long inChannels = 3;
        for (var i = 0; i < ConvIndices.Count; i++)
        {
            long outChannels = ConvOutChannels[i];
            result.Add(($"features.{ConvIndices[i]}.weight", [outChannels, inChannels, 3, 3]));
            result.Add(($"features.{ConvIndices[i]}.bias", [outChannels]));
            inChannels = outChannels;
        }
        return result;
    }

    /// <summary>
    /// Uses the VGG19 weights at <paramref name="weightsPath"/> when given (throwing if the file is unusable), else the
    /// structural substitute, logging a warning that says so.
    /// </summary>
    public static PerceptualLoss Create(string? weightsPath, ILogger logger, ImageRange range = ImageRange.MinusOneToOne)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (!string.IsNullOrEmpty(weightsPath)) return FromSafeTensors(weightsPath, range, logger);
        Log.UsingSubstitute(logger);
        return new PerceptualLoss(PerceptualLossKind.StructuralSubstitute, null, null, range);
    }

    /// <summary>The structural substitute (no VGG weights); logs a warning that the paper's VGG loss is not in use.</summary>
    public static PerceptualLoss CreateSubstitute(ILogger logger, ImageRange range = ImageRange.MinusOneToOne) => Create(null, logger, range);

    /// <summary>
    /// Loads torchvision VGG19 <c>features.*</c> weights from a safetensors file. Strict: every expected entry must be
    /// present with its exact shape and a floating-point dtype, and no other <c>features.*</c> entry may exist (a
    /// vgg19_bn or vgg16 file is refused); the exception lists every problem, each naming its entry.
    /// </summary>
    /// <exception cref="InvalidDataException">The file does not hold torchvision VGG19 features.</exception>
    public static PerceptualLoss FromSafeTensors(string path, ImageRange range = ImageRange.MinusOneToOne, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var header = SafeTensors.ReadHeader(path);
        var entries = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
        var expected = ExpectedEntries();
        var problems = new List<string>();
        foreach (var (name, shape) in expected)
        {
            if (!entries.TryGetValue(name, out var entry))
            {
                problems.Add($"missing '{name}' (expected shape [{string.Join(", ", shape)}])");
            }
            else if (!entry.Shape.SequenceEqual(shape))
            {
                problems.Add($"'{name}' has shape [{string.Join(", ", entry.Shape)}], expected [{string.Join(", ", shape)}]");
            }
            else if (!is_floating_point(entry.DType))
            {
                problems.Add($"'{name}' has dtype {SafeTensors.DtypeName(entry.DType)}, expected a floating-point type");
            }
        }
        var expectedNames = expected.Select(e => e.name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in entries.Keys.Where(n => n.StartsWith("features.", StringComparison.Ordinal) && !expectedNames.Contains(n)).Order(StringComparer.Ordinal))
        {
            problems.Add($"unexpected '{name}' (torchvision vgg19.features has no such parameter: is this another VGG variant?)");
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path} does not hold torchvision VGG19 features weights: {string.Join("; ", problems)}");
        }

        var loaded = new List<Tensor>();
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var buffer = Array.Empty<byte>();
            foreach (var (name, _) in expected)
            {
                var entry = entries[name];
                var size = checked((int)(entry.End - entry.Begin));
                if (buffer.Length < size) buffer = new byte[size];
                stream.Position = header.DataStart + entry.Begin;
                stream.ReadExactly(buffer, 0, size);
                using var raw = empty(entry.Shape, entry.DType).DetachFromDisposeScope();
                raw.CopyFrom(buffer.AsSpan(0, size));
                loaded.Add(raw.to(ScalarType.Float32, copy: true).DetachFromDisposeScope());
            }
        }
        catch
        {
            foreach (var t in loaded) t.Dispose();
            throw;
        }
        Log.LoadedVgg(logger ?? NullLogger.Instance, path, loaded.Count);
        return FromTensors(loaded, range);
    }

    /// <summary>
    /// VGG19 from an in-memory state dict with torchvision's names (same strictness as <see cref="FromSafeTensors"/>
    /// for the expected entries; other entries are ignored). The tensors are copied.
    /// </summary>
    public static PerceptualLoss FromStateDict(IReadOnlyDictionary<string, Tensor> stateDict, ImageRange range = ImageRange.MinusOneToOne)
    {
        ArgumentNullException.ThrowIfNull(stateDict);
        var problems = new List<string>();
        var tensors = new List<Tensor>();
        foreach (var (name, shape) in ExpectedEntries())
        {
            if (!stateDict.TryGetValue(name, out var t)) problems.Add($"missing '{name}'");
            else if (!t.shape.SequenceEqual(shape)) problems.Add($"'{name}' has shape [{string.Join(", ", t.shape)}], expected [{string.Join(", ", shape)}]");
            else tensors.Add(t);
        }
        if (problems.Count > 0) throw new ArgumentException($"not a torchvision VGG19 features state dict: {string.Join("; ", problems)}", nameof(stateDict));
        using (no_grad())
        {
            return FromTensors(tensors.Select(t => t.to(ScalarType.Float32, copy: true).detach().DetachFromDisposeScope()).ToList(), range);
        }
    }

    private static PerceptualLoss FromTensors(IReadOnlyList<Tensor> weightsAndBiases, ImageRange range)
    {
        var weights = new List<Tensor>();
        var biases = new List<Tensor>();
        for (var i = 0; i < weightsAndBiases.Count; i += 2)
        {
            weights.Add(weightsAndBiases[i]);
            biases.Add(weightsAndBiases[i + 1]);
        }
        return new PerceptualLoss(PerceptualLossKind.Vgg19, weights, biases, range);
    }

    /// <summary>
    /// L_per: generated [B, 3, H, W] and target [B, 3, H, W] (H, W ≥ 16, in <see cref="Range"/>) → scalar. The target is
    /// treated as a constant (no gradient flows into it).
    /// </summary>
    public override Tensor forward(Tensor generated, Tensor target)
    {
        CheckImages(generated, nameof(generated));
        if (!generated.shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException($"target [{string.Join(", ", target.shape)}] must match generated [{string.Join(", ", generated.shape)}]", nameof(target));
        }
        using var scope = NewDisposeScope();
        var fixedTarget = target.detach();
        var loss = Kind == PerceptualLossKind.Vgg19 ? VggDistance(generated, fixedTarget) : StructuralDistance(ToUnit(generated), ToUnit(fixedTarget));
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// VGG19 activations at <see cref="LayerNames"/>: images [B, 3, H, W] → five maps [B, 64, H, W], [B, 128, H/2, W/2],
    /// [B, 256, H/4, W/4], [B, 512, H/8, W/8], [B, 512, H/16, W/16]. Only for <see cref="PerceptualLossKind.Vgg19"/>.
    /// </summary>
    public Tensor[] Features(Tensor images)
    {
        if (Kind != PerceptualLossKind.Vgg19) throw new InvalidOperationException("the structural substitute has no VGG features");
        CheckImages(images, nameof(images));
        using var scope = NewDisposeScope();
        var x = (ToUnit(images) - _mean.to(images.dtype, images.device)) / _std.to(images.dtype, images.device);
        var taps = new List<Tensor>();
        var tap = 0;
        for (var i = 0; i < _weights.Length && tap < TapAfter.Length; i++)
        {
            x = F.conv2d(x, _weights[i], _biases[i], stride: 1, padding: 1).relu();
            if (i != TapAfter[tap]) continue;
            taps.Add(x.MoveToOuterDisposeScope());
            tap++;
            if (tap < TapAfter.Length) x = F.max_pool2d(x, 2, 2);
        }
        return taps.ToArray();
    }

    private Tensor VggDistance(Tensor generated, Tensor target)
    {
        Tensor[] targetFeatures;
        using (no_grad()) targetFeatures = Features(target);
        var generatedFeatures = Features(generated);
        var total = zeros([], generated.dtype, generated.device);
        for (var k = 0; k < generatedFeatures.Length; k++) total = total + F.l1_loss(generatedFeatures[k], targetFeatures[k]);
        return total;
    }

    private static Tensor StructuralDistance(Tensor generated, Tensor target)
    {
        const int scales = 5;
        var total = zeros([], generated.dtype, generated.device);
        var used = 0;
        for (var s = 0; s < scales; s++)
        {
            if (s > 0)
            {
                if (Math.Min(generated.size(2), generated.size(3)) < 16) break;
                generated = F.avg_pool2d(generated, 2);
                target = F.avg_pool2d(target, 2);
            }
            var edges = F.l1_loss(Dx(generated), Dx(target)) + F.l1_loss(Dy(generated), Dy(target));
            total = total + edges + ((1 - Ssim(generated, target)) / 2).mean();
            used++;
        }
        return total / used;
    }

    private static Tensor Dx(Tensor x) => x.narrow(3, 1, x.size(3) - 1) - x.narrow(3, 0, x.size(3) - 1);
    private static Tensor Dy(Tensor x) => x.narrow(2, 1, x.size(2) - 1) - x.narrow(2, 0, x.size(2) - 1);

    /// <summary>Per-pixel SSIM over 3x3 windows (valid positions): [B, C, H, W] x2 → [B, C, H-2, W-2].</summary>
    private static Tensor Ssim(Tensor x, Tensor y)
    {
        const double c1 = 0.01 * 0.01, c2 = 0.03 * 0.03;
        var muX = F.avg_pool2d(x, 3, 1);
        var muY = F.avg_pool2d(y, 3, 1);
        var sigmaX = F.avg_pool2d(x * x, 3, 1) - muX * muX;
        var sigmaY = F.avg_pool2d(y * y, 3, 1) - muY * muY;
        var sigmaXy = F.avg_pool2d(x * y, 3, 1) - muX * muY;
        return (2 * muX * muY + c1) * (2 * sigmaXy + c2) / ((muX * muX + muY * muY + c1) * (sigmaX + sigmaY + c2));
    }

    private Tensor ToUnit(Tensor images) => Range == ImageRange.MinusOneToOne ? (images + 1) * 0.5 : images.alias();

    private static void CheckImages(Tensor images, string name)
    {
        var shape = images.shape;
        if (shape.Length != 4 || shape[1] != 3 || shape[2] < MinimumSide || shape[3] < MinimumSide)
        {
            throw new ArgumentException($"images must be [B, 3, H >= {MinimumSide}, W >= {MinimumSide}], got [{string.Join(", ", shape)}]", name);
        }
    }
}
