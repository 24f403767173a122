using RealtimeHead.Model.Encoder;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// "Aggregating Multi-scale Facial Features" (S3D-NeRF Sec. 3.2): F_agg = SlotAttention(F^0 ... F^{L-1}).
/// <para>
/// Reading of the paper. F_agg is stated to be B × (H_s·W_s) × D_slot, i.e. one vector per grid cell rather than one
/// per slot. We therefore (1) resize every F^i to H_s × W_s (area average when shrinking, bilinear when growing),
/// concatenate them along channels and flatten to N = H_s·W_s tokens; (2) add Locatello et al.'s soft position
/// embedding (a linear map of the cell's (x, y, 1-x, 1-y)) and a per-token LayerNorm + MLP to D_slot; (3) run slot
/// attention to get K slots that summarise the whole face across scales; (4) give each token the mixture of slots
/// its final attention assigns it: F_agg[b, n] = Σ_k attn[b, n, k] · slot[b, k]. So F_agg carries global (slot)
/// information yet stays a map aligned with the source image, token n = row · W_s + column.
/// </para>
/// </summary>
public sealed class FeatureAggregator : Module<TriPlanePyramid, Tensor>
{
    private readonly Linear _position;
    private readonly LayerNorm _norm;
    private readonly Sequential _tokenMlp;
    private readonly SlotAttention _slotAttention;
    private readonly Tensor _grid;
    private readonly long _gridSize;
    private readonly long _inputChannels;

    public FeatureAggregator(S3DNeRFConfig config) : base(nameof(FeatureAggregator))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        _gridSize = config.SlotGrid;
        _inputChannels = config.EncoderChannels.Sum();
        _position = Linear(4, _inputChannels);
        _norm = LayerNorm(_inputChannels);
        _tokenMlp = Sequential(Linear(_inputChannels, config.SlotDim), ReLU(), Linear(config.SlotDim, config.SlotDim));
        _slotAttention = new SlotAttention(config.SlotDim, config.SlotCount, config.SlotDim, config.SlotIterations);

        using (NewDisposeScope())
        {
            // Cell centres in [0, 1], row-major like the flattened tokens: [H_s·W_s, 4] = (x, y, 1-x, 1-y).
            var centres = (arange(0, _gridSize, 1, ScalarType.Float32) + 0.5) / _gridSize;
            var axes = meshgrid([centres, centres], indexing: "ij"); // axes[0] = row (y), axes[1] = column (x)
            var x = axes[1].reshape(-1);
            var y = axes[0].reshape(-1);
            _grid = stack([x, y, 1 - x, 1 - y], dim: 1).DetachFromDisposeScope();
        }
        register_buffer("grid", _grid, persistent: false);
        RegisterComponents();
    }

    /// <summary>H_s = W_s.</summary>
    public long GridSize => _gridSize;

    /// <summary>pyramid (features F^i [B, C_i, H_i, W_i]) → F_agg [B, H_s·W_s, D_slot].</summary>
    public override Tensor forward(TriPlanePyramid pyramid)
    {
        var (embedding, slots, attention) = Aggregate(pyramid);
        slots.Dispose();
        attention.Dispose();
        return embedding;
    }

    /// <summary>
    /// pyramid → F_agg [B, H_s·W_s, D_slot], the slots [B, K, D_slot] and the token-to-slot attention [B, H_s·W_s, K]
    /// (the last two for inspection: which face regions each slot took).
    /// </summary>
    public (Tensor embedding, Tensor slots, Tensor attention) Aggregate(TriPlanePyramid pyramid)
    {
        ArgumentNullException.ThrowIfNull(pyramid);
        using var scope = NewDisposeScope();
        var resized = new Tensor[pyramid.Levels];
        for (var i = 0; i < resized.Length; i++) resized[i] = Resize(pyramid.Features[i]);
        var map = cat(resized, dim: 1); // [B, ΣC_i, H_s, W_s]
        if (map.size(1) != _inputChannels)
        {
            throw new ArgumentException($"pyramid features have {map.size(1)} channels in all, this aggregator was built for {_inputChannels}", nameof(pyramid));
        }

        var tokens = map.flatten(2).transpose(1, 2);                       // [B, N, ΣC_i]
        tokens = tokens + _position.forward(_grid.to(tokens.dtype)).unsqueeze(0);
        tokens = _tokenMlp.forward(_norm.forward(tokens));                  // [B, N, D_slot]
        var (slots, attention) = _slotAttention.forward(tokens);
        var embedding = attention.matmul(slots);                            // [B, N, K] · [B, K, D] → [B, N, D]
        return (embedding.MoveToOuterDisposeScope(), slots.MoveToOuterDisposeScope(), attention.MoveToOuterDisposeScope());
    }

    private Tensor Resize(Tensor feature)
    {
        var shape = feature.shape;
        if (shape[2] == _gridSize && shape[3] == _gridSize) return feature.alias();
        // Area averaging keeps every pixel's contribution when shrinking; bilinear interpolation when growing.
        return shape[2] >= _gridSize && shape[3] >= _gridSize
            ? F.adaptive_avg_pool2d(feature, [_gridSize, _gridSize])
            : F.interpolate(feature, size: [_gridSize, _gridSize], mode: InterpolationMode.Bilinear, align_corners: false);
    }
}
