using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.Tests.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Deformation;

public sealed class SlotAttentionTests
{
    [Fact]
    public void Forward_TokensToSlots_ShapesAndAttentionRowsSumToOne()
    {
        using var scope = NewDisposeScope();
        manual_seed(10);
        using var slotAttention = new SlotAttention(inputDim: 6, slotCount: 3, slotDim: 8, iterations: 3);
        var (slots, attention) = slotAttention.forward(randn(2, 10, 6));

        Assert.Equal(new long[] { 2, 3, 8 }, slots.shape);
        Assert.Equal(new long[] { 2, 10, 3 }, attention.shape);
        Assert.All(attention.sum(-1).data<float>(), s => Assert.Equal(1f, s, 5));
    }

    [Fact]
    public void Forward_EvalWithShuffledTokens_SameSlotsAndPermutedAttention()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var slotAttention = new SlotAttention(inputDim: 5, slotCount: 4, slotDim: 8, iterations: 3);
        slotAttention.eval();
        var inputs = randn(2, 12, 5);
        long[] order = [7, 2, 11, 0, 5, 9, 1, 3, 10, 4, 8, 6];
        var permutation = tensor(order);

        var (slots, attention) = slotAttention.forward(inputs);
        var (shuffledSlots, shuffledAttention) = slotAttention.forward(inputs.index_select(1, permutation));

        AssertClose(slots, shuffledSlots, 1e-5);
        AssertClose(attention.index_select(1, permutation), shuffledAttention, 1e-5);
    }

    [Fact]
    public void Forward_Eval_IsDeterministicAndKeepsSlotsDistinct()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var slotAttention = new SlotAttention(inputDim: 5, slotCount: 3, slotDim: 8, iterations: 2);
        var inputs = randn(1, 9, 5);
        slotAttention.eval();
        var (first, _) = slotAttention.forward(inputs);
        var (second, _) = slotAttention.forward(inputs);
        AssertClose(first, second, 0);
        // Per-slot μ: a shared μ would make every slot identical at eval.
        var gap = (first[0, 0] - first[0, 1]).abs().max().item<float>();
        Assert.True(gap > 1e-3f, $"slots 0 and 1 differ by only {gap}");

        slotAttention.train();
        var (noisy, _) = slotAttention.forward(inputs);
        Assert.True((noisy - first).abs().max().item<float>() > 1e-4f, "training must sample the slot initialisation");
    }

    [Fact]
    public void Backward_Training_ReachesEveryParameterIncludingTheSlotPrior()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var slotAttention = new SlotAttention(inputDim: 6, slotCount: 3, slotDim: 8, iterations: 2);
        var (slots, attention) = slotAttention.forward(randn(2, 10, 6));
        (GradientAssert.ProbeLoss(slots) + GradientAssert.ProbeLoss(attention)).backward();
        GradientAssert.EveryParameterHasGradient(slotAttention);
        Assert.Contains(slotAttention.named_parameters(), p => p.name == "mu");
        Assert.Contains(slotAttention.named_parameters(), p => p.name == "logSigma");
    }

    [Fact]
    public void GruCell_AllParametersZero_HalvesTheState()
    {
        // r = z = σ(0) = 1/2 and n = tanh(0) = 0, so h' = (1 - z)·n + z·h = h / 2.
        using var scope = NewDisposeScope();
        using var cell = new GruCell(3, 4);
        foreach (var parameter in cell.parameters()) nn.init.zeros_(parameter);
        var state = tensor(new float[] { 1, -2, 4, 0.5f }, [1, 4]);
        var next = cell.forward(randn(1, 3), state);
        Assert.Equal(new float[] { 0.5f, -1, 2, 0.25f }, next.data<float>());
    }

    [Fact]
    public void GruCell_Backward_ReachesEveryParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(14);
        using var cell = new GruCell(3, 4);
        GradientAssert.ProbeLoss(cell.forward(randn(5, 3), randn(5, 4))).backward();
        GradientAssert.EveryParameterHasGradient(cell);
    }

    internal static void AssertClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        var difference = (expected - actual).abs().max().item<double>();
        Assert.True(difference <= tolerance, $"tensors differ by {difference} (tolerance {tolerance})");
    }
}
