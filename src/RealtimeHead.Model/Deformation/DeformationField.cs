using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// Deform(.) of S3D-NeRF Eq. 4: Δx = Deform(x, a_dri, F_cm), x̃ = x + Δx.
/// <para>
/// Frame: points are in the normalised source tri-plane frame (Inv(P_src)·x / HeadExtent, the head cube is [-1, 1]³),
/// the frame <see cref="Encoder.TriPlaneSampler"/> reads, and Δx is returned in the same units; the assembly adds it
/// before sampling. Because Inv(P_src) is rigid, this is Eq. 4 expressed in the source frame.
/// </para>
/// <para>
/// How F_cm reaches a 3D point: F_cm [B, H_s·W_s, d] is one vector per cell of the H_s × W_s grid that F_agg was built
/// on, and that grid is aligned with the source image (token n = row · W_s + column), as is the tri-planes' xy plane.
/// So F_cm is reshaped to a map [B, d, H_s, W_s] and bilinearly sampled at the point's (x, y) projection (x along the
/// width, y along the height, align_corners false, border padding): each point gets the audio-visual correlation of
/// the face region in front of or behind it. a_dri is averaged over its time steps into one vector per frame.
/// </para>
/// <para>
/// The U-Net-like network works over feature width: the input [γ(x), sampled F_cm, ā_dri] (γ: x and sin/cos of
/// 2^k·π·x, k &lt; frequencies) goes through an encoder of widths H, H/2, H/4 and a decoder of widths H/2, H that
/// concatenates the encoder activation of the same width (skip connections) before each layer; a final linear layer
/// gives Δx. Its weights are scaled by 1e-3 and its bias zeroed so training starts from the identity deformation.
/// </para>
/// Variants (<see cref="S3DNeRFConfig.Deformation"/>, Table 3): <see cref="DeformationVariant.CrossModal"/> as above;
/// <see cref="DeformationVariant.Naive"/> reads only γ(x) and ā_dri; <see cref="DeformationVariant.FeatureConcatenate"/>
/// samples F_agg in place of F_cm (visual features without the audio-visual attention);
/// <see cref="DeformationVariant.None"/> has no network and returns zeros: the audio instead joins the tri-plane
/// features (<see cref="AppendAudio"/>, <see cref="TriPlaneFeatureChannels"/>).
/// </summary>
public sealed class DeformationField : nn.Module
{
    private const double Slope = 0.2;
    private const double OutputScale = 1e-3;

    private readonly Linear? _encode0;
    private readonly Linear? _encode1;
    private readonly Linear? _bottleneck;
    private readonly Linear? _decode1;
    private readonly Linear? _decode0;
    private readonly Linear? _output;
    private readonly Tensor _frequencies;
    private readonly long _audioDim;
    private readonly long _gridSize;

    /// <param name="config">Sizes and <see cref="S3DNeRFConfig.Deformation"/>.</param>
    /// <param name="frequencies">Octaves of the positional encoding γ(x).</param>
    public DeformationField(S3DNeRFConfig config, int frequencies = 4) : base(nameof(DeformationField))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        ArgumentOutOfRangeException.ThrowIfNegative(frequencies);
        Variant = config.Deformation;
        _audioDim = config.AudioDim;
        _gridSize = config.SlotGrid;
        VisualDim = Variant switch
        {
            DeformationVariant.CrossModal => config.AttentionDim,
            DeformationVariant.FeatureConcatenate => config.SlotDim,
            _ => 0,
        };

        using (NewDisposeScope())
        {
            _frequencies = (Octaves(frequencies) * Math.PI).DetachFromDisposeScope();
        }
        register_buffer("frequencies", _frequencies, persistent: false);

        if (Variant != DeformationVariant.None)
        {
            long inputs = 3 + 6L * frequencies + VisualDim + _audioDim;
            long wide = config.DeformHidden, middle = Math.Max(8, wide / 2), narrow = Math.Max(8, wide / 4);
            _encode0 = Linear(inputs, wide);
            _encode1 = Linear(wide, middle);
            _bottleneck = Linear(middle, narrow);
            _decode1 = Linear(narrow + middle, middle);
            _decode0 = Linear(middle + wide, wide);
            _output = Linear(wide, 3);
            using (no_grad())
            {
                _output.weight.mul_(OutputScale);
                _output.bias!.zero_();
            }
        }
        RegisterComponents();
    }

    /// <summary>[2^0, 2^1, ..., 2^(count-1)] (fp32, on <paramref name="device"/>; default CPU).</summary>
    private static Tensor Octaves(long count, Device? device = null) => count == 0
        ? zeros([0], device: device)
        : full([count], 2.0, device: device).pow(arange(0, count, 1, ScalarType.Float32, device));

    public DeformationVariant Variant { get; }

    /// <summary>Channels of the visual input: AttentionDim (F_cm), SlotDim (F_agg) or 0.</summary>
    public long VisualDim { get; }

    /// <summary>
    /// points x [B, N, 3] (normalised source tri-plane frame), audio a_dri [B, T_a, AudioDim], visual [B, H_s·W_s, VisualDim]
    /// (F_cm for CrossModal, F_agg for FeatureConcatenate, ignored otherwise) → Δx [B, N, 3] in the element type of the points.
    /// </summary>
    public Tensor forward(Tensor points, Tensor audio, Tensor? visual = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(audio);
        var shape = points.shape;
        if (shape.Length != 3 || shape[2] != 3) throw new ArgumentException($"points must be [B, N, 3], got [{string.Join(", ", shape)}]", nameof(points));
        if (Variant == DeformationVariant.None) return zeros_like(points);
        if (VisualDim > 0 && visual is null) throw new ArgumentException($"the {Variant} deformation needs its visual features", nameof(visual));

        using var scope = NewDisposeScope();
        var inputs = new List<Tensor> { Encode(points) };
        if (VisualDim > 0) inputs.Add(SampleImagePlane(visual!, _gridSize, points));
        inputs.Add(PooledAudio(audio).unsqueeze(1).expand(shape[0], shape[1], _audioDim));

        // U-Net over feature width (S3D-NeRF Sec. 3.2 "U-Net like architecture"), in the weights' type: γ(x) is taken at
        // the points' precision (fp32) first, and Δx is returned in it.
        var type = _encode0!.weight.dtype;
        var e0 = Act(_encode0.forward(cat(inputs.Select(input => input.to(type)).ToArray(), dim: 2)));
        var e1 = Act(_encode1!.forward(e0));
        var bottom = Act(_bottleneck!.forward(e1));
        var d1 = Act(_decode1!.forward(cat([bottom, e1], dim: 2)));
        var d0 = Act(_decode0!.forward(cat([d1, e0], dim: 2)));
        return _output!.forward(d0).to(points.dtype).MoveToOuterDisposeScope();
    }

    private static Tensor Act(Tensor x) => F.leaky_relu(x, Slope);

    /// <summary>γ(x): [B, N, 3] → [B, N, 3 + 6·frequencies] = [x, sin(2^k π x), cos(2^k π x)].</summary>
    private Tensor Encode(Tensor points)
    {
        if (_frequencies.numel() == 0) return points.alias();
        var shape = points.shape;
        // A reduced-precision placement casts this buffer as well, and 2^k·π rounded to bf16 would shift every phase of
        // γ(x): take the fp32 values again (2^k is exact in any float type, π is not).
        var frequencies = _frequencies.dtype is ScalarType.BFloat16 or ScalarType.Float16
            ? Octaves(_frequencies.numel(), points.device) * Math.PI
            : _frequencies;
        var scaled = (points.unsqueeze(-1) * frequencies.to(points.dtype)).reshape(shape[0], shape[1], -1);
        return cat([points, scaled.sin(), scaled.cos()], dim: 2);
    }

    /// <summary>
    /// tokens [B, G·G, D] on the source-image grid (row-major), points [B, N, 3] → [B, N, D]: bilinear look-up at each
    /// point's (x, y) with x along the width and y along the height; (0, 0) is the grid centre. bf16/fp16 tokens give fp32.
    /// </summary>
    public static Tensor SampleImagePlane(Tensor tokens, long gridSize, Tensor points)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(points);
        var (batch, count, channels) = (tokens.size(0), tokens.size(1), tokens.size(2));
        if (count != gridSize * gridSize) throw new ArgumentException($"{count} tokens do not form a {gridSize}x{gridSize} grid", nameof(tokens));
        using var scope = NewDisposeScope();
        var map = tokens.transpose(1, 2).reshape(batch, channels, gridSize, gridSize);
        // Reduced-precision tokens (bf16/fp16 inference) are looked up in fp32, at full-precision positions.
        if (map.dtype is ScalarType.BFloat16 or ScalarType.Float16) map = map.to(ScalarType.Float32);
        var grid = points.narrow(2, 0, 2).unsqueeze(1).to(map.dtype);   // [B, 1, N, 2]
        var sampled = F.grid_sample(map, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
        return sampled.squeeze(2).transpose(1, 2).MoveToOuterDisposeScope(); // [B, D, 1, N] → [B, N, D]
    }

    /// <summary>ā_dri: a_dri [B, T_a, A] averaged over time → [B, A].</summary>
    public static Tensor PooledAudio(Tensor audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        return audio.mean(1);
    }

    /// <summary>
    /// Channels per point that the tri-plane decoder receives: L·C, plus AudioDim for <see cref="DeformationVariant.None"/>
    /// ("w/o Deform": the audio feature is concatenated with the tri-plane feature, Sec. 4.4).
    /// </summary>
    public static int TriPlaneFeatureChannels(S3DNeRFConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var planes = config.Levels * config.PlaneChannels;
        return config.Deformation == DeformationVariant.None ? planes + config.AudioDim : planes;
    }

    /// <summary>The "w/o Deform" input: tri-plane features [B, N, L·C], a_dri [B, T_a, A] → [B, N, L·C + A].</summary>
    public static Tensor AppendAudio(Tensor features, Tensor audio)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(audio);
        using var scope = NewDisposeScope();
        var (batch, count) = (features.size(0), features.size(1));
        var pooled = PooledAudio(audio).unsqueeze(1).expand(batch, count, audio.size(2));
        return cat([features, pooled.to(features.dtype)], dim: 2).MoveToOuterDisposeScope();
    }
}
