using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// Slot Attention (Locatello et al. 2020, Algorithm 1), used by S3D-NeRF Sec. 3.2 to exchange information between
/// the scales of the appearance pyramid. Each iteration: slots attend to the (layer-normalised) inputs with a
/// softmax over the slots (slots compete for tokens), the attention is renormalised over the tokens into a weighted
/// mean of the values, a GRU updates each slot, and a residual MLP refines it.
/// <para>
/// Initialisation: the paper samples every slot from one learned Gaussian N(μ, σ). With a shared μ, the deterministic
/// eval-time init (μ itself) makes all slots identical and they stay identical through every iteration, which would
/// reduce the aggregation to one vector per image. So each slot k has its own learned μ_k (as in fixed-slot variants
/// of slot attention) and one learned log σ shared by all; training adds σ·ε noise, eval uses μ_k.
/// </para>
/// </summary>
public sealed class SlotAttention : Module<Tensor, (Tensor slots, Tensor attention)>
{
    private const double Epsilon = 1e-8;

    private readonly LayerNorm _normInputs;
    private readonly LayerNorm _normSlots;
    private readonly LayerNorm _normMlp;
    private readonly Linear _toQuery;
    private readonly Linear _toKey;
    private readonly Linear _toValue;
    private readonly GruCell _gru;
    private readonly Sequential _mlp;
    private readonly Parameter _mu;
    private readonly Parameter _logSigma;
    private readonly int _iterations;
    private readonly double _scale;

    /// <param name="inputDim">D_in of each input token.</param>
    /// <param name="slotCount">K.</param>
    /// <param name="slotDim">D_slot (also the width of queries, keys and values).</param>
    /// <param name="iterations">Attention rounds (3 in Locatello et al.).</param>
    /// <param name="mlpHidden">Hidden width of the residual MLP; 2·D_slot when null.</param>
    public SlotAttention(long inputDim, int slotCount, long slotDim, int iterations, long? mlpHidden = null) : base(nameof(SlotAttention))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        SlotCount = slotCount;
        SlotDim = slotDim;
        _iterations = iterations;
        _scale = 1.0 / Math.Sqrt(slotDim);

        _normInputs = LayerNorm(inputDim);
        _normSlots = LayerNorm(slotDim);
        _normMlp = LayerNorm(slotDim);
        _toQuery = Linear(slotDim, slotDim, hasBias: false);
        _toKey = Linear(inputDim, slotDim, hasBias: false);
        _toValue = Linear(inputDim, slotDim, hasBias: false);
        _gru = new GruCell(slotDim, slotDim);
        var hidden = mlpHidden ?? 2 * slotDim;
        _mlp = Sequential(Linear(slotDim, hidden), ReLU(), Linear(hidden, slotDim));

        using (NewDisposeScope())
        {
            _mu = new Parameter(zeros(1, slotCount, slotDim));
            _logSigma = new Parameter(zeros(1, 1, slotDim));
        }
        init.xavier_uniform_(_mu);
        init.xavier_uniform_(_logSigma);
        RegisterComponents();
    }

    public int SlotCount { get; }

    public long SlotDim { get; }

    /// <summary>
    /// inputs [B, N, D_in] → slots [B, K, D_slot] and attention [B, N, K]: each token's softmax over the final slots
    /// (rows sum to 1), computed once more after the last update so that it matches the returned slots.
    /// </summary>
    public override (Tensor slots, Tensor attention) forward(Tensor inputs)
    {
        var shape = inputs.shape;
        if (shape.Length != 3) throw new ArgumentException($"inputs must be [B, N, D], got [{string.Join(", ", shape)}]", nameof(inputs));
        var batch = shape[0];

        using var scope = NewDisposeScope();
        var normalized = _normInputs.forward(inputs);
        var keys = _toKey.forward(normalized);     // [B, N, D]
        var values = _toValue.forward(normalized); // [B, N, D]

        var slots = _mu.expand(batch, SlotCount, SlotDim);
        if (training) slots = slots + _logSigma.exp() * randn([batch, SlotCount, SlotDim], _mu.dtype, _mu.device);

        for (var i = 0; i < _iterations; i++)
        {
            var previous = slots;
            var attention = Attend(keys, slots) + Epsilon;             // softmax over slots, [B, N, K]
            var weights = attention / attention.sum(1, keepdim: true); // weighted mean over tokens
            var updates = weights.transpose(1, 2).matmul(values);      // [B, K, D]
            slots = _gru.forward(updates.reshape(-1, SlotDim), previous.reshape(-1, SlotDim)).view(batch, SlotCount, SlotDim);
            slots = slots + _mlp.forward(_normMlp.forward(slots));
        }

        var final = Attend(keys, slots);
        return (slots.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope());
    }

    /// <summary>keys [B, N, D], slots [B, K, D] → softmax over K of q·k / √D, [B, N, K].</summary>
    private Tensor Attend(Tensor keys, Tensor slots)
    {
        var queries = _toQuery.forward(_normSlots.forward(slots));
        return (keys.matmul(queries.transpose(1, 2)) * _scale).softmax(-1);
    }
}
