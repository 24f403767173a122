using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// Multi-head cross-attention of S3D-NeRF Eq. 3: F_cm = Softmax(F_agg W^Q (a_dri W^K)ᵀ / √d) a_dri W^V, with the face
/// tokens as queries and the audio steps as keys and values, heads concatenated and mixed by an output projection
/// W^O (standard MHCA). √d uses the per-head width. No residual: F_cm is the audio-visual correlation itself, the
/// prior the deformation field reads; its channel mean is the Fig. 3 heatmap (<see cref="Heatmap"/>).
/// </summary>
public sealed class CrossModalAttention : Module<Tensor, Tensor, (Tensor output, Tensor weights)>
{
    private readonly Linear _query;
    private readonly Linear _key;
    private readonly Linear _value;
    private readonly Linear _output;
    private readonly int _heads;
    private readonly long _headDim;

    /// <param name="queryDim">Channels of F_agg (D_slot).</param>
    /// <param name="keyDim">Channels of a_dri.</param>
    /// <param name="attentionDim">d summed over heads; the channels of F_cm.</param>
    /// <param name="heads">Must divide <paramref name="attentionDim"/>.</param>
    public CrossModalAttention(long queryDim, long keyDim, long attentionDim, int heads) : base(nameof(CrossModalAttention))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(queryDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (attentionDim < 1 || attentionDim % heads != 0)
        {
            throw new ArgumentException($"attentionDim {attentionDim} must be a positive multiple of heads {heads}", nameof(attentionDim));
        }
        _heads = heads;
        _headDim = attentionDim / heads;
        OutputDim = attentionDim;
        _query = Linear(queryDim, attentionDim);
        _key = Linear(keyDim, attentionDim);
        _value = Linear(keyDim, attentionDim);
        _output = Linear(attentionDim, attentionDim);
        RegisterComponents();
    }

    /// <summary>Sizes from the config: queries of D_slot, keys of AudioDim, AttentionDim over AttentionHeads heads.</summary>
    public CrossModalAttention(S3DNeRFConfig config)
        : this(config.EnsureValid().SlotDim, config.AudioDim, config.AttentionDim, config.AttentionHeads)
    {
    }

    /// <summary>Channels of F_cm.</summary>
    public long OutputDim { get; }

    /// <summary>
    /// query F_agg [B, N, D_slot], audio a_dri [B, T_a, AudioDim] → F_cm [B, N, AttentionDim] and the attention weights
    /// [B, heads, N, T_a] (each row sums to 1 over the audio steps).
    /// </summary>
    public override (Tensor output, Tensor weights) forward(Tensor query, Tensor audio)
    {
        var (batch, tokens) = (query.size(0), query.size(1));
        var steps = audio.size(1);
        using var scope = NewDisposeScope();
        var q = SplitHeads(_query.forward(query), batch, tokens);  // [B, h, N, d]
        var k = SplitHeads(_key.forward(audio), batch, steps);     // [B, h, T, d]
        var v = SplitHeads(_value.forward(audio), batch, steps);   // [B, h, T, d]
        var weights = (q.matmul(k.transpose(2, 3)) / Math.Sqrt(_headDim)).softmax(-1); // S3D-NeRF Eq. 3
        var mixed = weights.matmul(v).transpose(1, 2).reshape(batch, tokens, OutputDim);
        return (_output.forward(mixed).MoveToOuterDisposeScope(), weights.MoveToOuterDisposeScope());
    }

    private Tensor SplitHeads(Tensor x, long batch, long length) => x.view(batch, length, _heads, _headDim).transpose(1, 2);

    /// <summary>The Fig. 3 heatmap: F_cm [B, H_s·W_s, D] averaged over channels → [B, H_s, W_s] (row-major tokens).</summary>
    public static Tensor Heatmap(Tensor correlation, long gridSize)
    {
        ArgumentNullException.ThrowIfNull(correlation);
        using var scope = NewDisposeScope();
        return correlation.mean(-1).view(correlation.size(0), gridSize, gridSize).MoveToOuterDisposeScope();
    }
}
