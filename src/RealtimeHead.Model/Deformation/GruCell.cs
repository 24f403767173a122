using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// A gated recurrent unit cell (Cho et al. 2014), the update rule of slot attention, written with two Linear layers
/// so it needs no fused RNN op: r = σ(W_ir x + W_hr h), z = σ(W_iz x + W_hz h), n = tanh(W_in x + r ⊙ (W_hn h)),
/// h' = (1 - z) ⊙ n + z ⊙ h (biases inside each W·, as in torch.nn.GRUCell).
/// </summary>
public sealed class GruCell : Module<Tensor, Tensor, Tensor>
{
    private readonly Linear _input;
    private readonly Linear _hidden;

    public GruCell(long inputSize, long hiddenSize) : base(nameof(GruCell))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        _input = Linear(inputSize, 3 * hiddenSize);
        _hidden = Linear(hiddenSize, 3 * hiddenSize);
        RegisterComponents();
    }

    /// <summary>input [*, inputSize], state [*, hiddenSize] → new state [*, hiddenSize].</summary>
    public override Tensor forward(Tensor input, Tensor state)
    {
        using var scope = NewDisposeScope();
        var gatesX = _input.forward(input).chunk(3, dim: -1);
        var gatesH = _hidden.forward(state).chunk(3, dim: -1);
        var reset = (gatesX[0] + gatesH[0]).sigmoid();
        var update = (gatesX[1] + gatesH[1]).sigmoid();
        var candidate = (gatesX[2] + reset * gatesH[2]).tanh();
        return ((1 - update) * candidate + update * state).MoveToOuterDisposeScope();
    }
}
