using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Torch.Tests.Tensors;

/// <summary>Representative ops against values computed by hand.</summary>
public sealed class TensorOpsTests
{
    private static void AssertClose(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void Arithmetic_Broadcasts_RowAgainstColumn()
    {
        using var scope = NewDisposeScope();
        var column = tensor(new float[] { 1, 2 }, [2, 1]);
        var row = tensor(new float[] { 10, 20, 30 }, [1, 3]);

        Assert.Equal(new float[] { 11, 21, 31, 12, 22, 32 }, (column + row).data<float>());
        Assert.Equal(new float[] { 10, 20, 30, 20, 40, 60 }, (column * row).data<float>());
        Assert.Equal(new float[] { -9, -19, -29, -8, -18, -28 }, (column - row).data<float>());
        Assert.Equal(new float[] { 9, 8 }, (10 - column).view(2).data<float>());
        Assert.Equal(new float[] { 0.5f, 1f }, (column / 2).view(2).data<float>());
        Assert.Equal(new float[] { 1, 4 }, column.pow(2).view(2).data<float>());
    }

    [Fact]
    public void Matmul_And_Bmm_MatchHandComputedProducts()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2]);
        // [1 2 3; 4 5 6] x [7 8; 9 10; 11 12] = [58 64; 139 154]
        Assert.Equal(new float[] { 58, 64, 139, 154 }, a.matmul(b).data<float>());
        var batched = stack([a, a]).bmm(stack([b, b]));
        Assert.Equal(new long[] { 2, 2, 2 }, batched.shape);
        Assert.Equal(new float[] { 58, 64, 139, 154, 58, 64, 139, 154 }, batched.data<float>());
    }

    [Fact]
    public void Reductions_OverDims_KeepOrDropThem()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);

        Assert.Equal(21f, t.sum().item<float>());
        Assert.Equal(new float[] { 5, 7, 9 }, t.sum(0).data<float>());
        Assert.Equal(new long[] { 2, 1 }, t.mean(1, keepdim: true).shape);
        Assert.Equal(new float[] { 2, 5 }, t.mean(1).data<float>());
        Assert.Equal(new float[] { 3, 6 }, t.amax(1).data<float>());
        Assert.Equal(new float[] { 1, 4 }, t.amin(1).data<float>());
        Assert.Equal(new float[] { 6, 120 }, t.prod(1).data<float>());
        var (values, indexes) = t.max(1);
        Assert.Equal(new float[] { 3, 6 }, values.data<float>());
        Assert.Equal(new long[] { 2, 2 }, indexes.data<long>());
        Assert.Equal(5L, t.argmax().item<long>());
        // Population variance of 1..3 is 2/3, sample variance 1.
        Assert.Equal(1f, t[0].var().item<float>(), 5);
        Assert.Equal(2f / 3f, t[0].var(unbiased: false).item<float>(), 5);
        Assert.Equal(MathF.Sqrt(91), t.norm().item<float>(), 4);
        AssertClose(new[] { MathF.Log(MathF.Exp(1) + MathF.Exp(2) + MathF.Exp(3)) }, t[0].logsumexp(0).view(1).data<float>());
    }

    [Fact]
    public void Comparisons_Where_Clamp_SelectElementwise()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { -2, -0.5f, 0, 0.5f, 2 });

        Assert.Equal(new[] { false, false, false, true, true }, t.gt(0).data<bool>());
        Assert.Equal(new[] { true, true, true, false, false }, t.le(0).data<bool>());
        Assert.Equal(new[] { false, false, true, false, false }, t.eq(0).data<bool>());
        Assert.Equal(new float[] { 0, 0, 0, 0.5f, 2 }, where(t.gt(0), t, zeros_like(t)).data<float>());
        Assert.Equal(new float[] { -1, -0.5f, 0, 0.5f, 1 }, t.clamp(-1, 1).data<float>());
        Assert.Equal(new float[] { 0, 0, 0, 0.5f, 2 }, t.clamp_min(0).data<float>());
        Assert.Equal(new float[] { 9, 9, 0, 0.5f, 2 }, t.masked_fill(t.lt(-0.1), 9).data<float>());
    }

    [Fact]
    public void UnaryMath_MatchesSystemMath()
    {
        using var scope = NewDisposeScope();
        var x = new[] { 0.1f, 0.5f, 1f, 2f };
        var t = tensor(x);
        AssertClose(x.Select(v => MathF.Exp(v)).ToArray(), t.exp().data<float>());
        AssertClose(x.Select(v => MathF.Log(v)).ToArray(), t.log().data<float>());
        AssertClose(x.Select(v => MathF.Sqrt(v)).ToArray(), t.sqrt().data<float>());
        AssertClose(x.Select(v => MathF.Tanh(v)).ToArray(), t.tanh().data<float>());
        AssertClose(x.Select(v => 1 / (1 + MathF.Exp(-v))).ToArray(), t.sigmoid().data<float>());
        AssertClose(x.Select(v => MathF.Log(1 + MathF.Exp(v))).ToArray(), F.softplus(t).data<float>());
        AssertClose(x.Select(v => MathF.Log(1 + MathF.Exp(2 * v)) / 2).ToArray(), F.softplus(t, beta: 2).data<float>());
        var negative = tensor(new[] { -1f, 2f });
        Assert.Equal(new[] { 0f, 2f }, negative.relu().data<float>());
        AssertClose(new[] { -0.2f, 2f }, F.leaky_relu(negative, 0.2).data<float>());
        // gelu(x) = x·Φ(x); Φ(1) = 0.841345, Φ(-1) = 0.158655.
        AssertClose(new[] { -0.158655f, 1.954500f }, F.gelu(negative).data<float>());
    }

    [Fact]
    public void Softmax_And_LogSoftmax_NormalizeAlongDim()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 2, 3, 1, 1, 1 }, [2, 3]);
        var denominator = MathF.Exp(1) + MathF.Exp(2) + MathF.Exp(3);
        var expected = new[] { MathF.Exp(1) / denominator, MathF.Exp(2) / denominator, MathF.Exp(3) / denominator, 1 / 3f, 1 / 3f, 1 / 3f };

        AssertClose(expected, t.softmax(1).data<float>());
        AssertClose(expected.Select(v => MathF.Log(v)).ToArray(), t.log_softmax(1).data<float>());
    }

    [Fact]
    public void CumsumAndCumprod_RunAlongDim()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        Assert.Equal(new float[] { 1, 3, 3, 7 }, t.cumsum(1).data<float>());
        Assert.Equal(new float[] { 1, 2, 3, 8 }, t.cumprod(0).data<float>());
    }

    [Fact]
    public void ShapeOps_ReshapePermuteTransposeAndViews()
    {
        using var scope = NewDisposeScope();
        var t = arange(0, 6, 1, ScalarType.Float32).reshape(2, 3);

        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, t.t().contiguous().data<float>());
        Assert.False(t.t().is_contiguous());
        Assert.Equal(new long[] { 3, 2 }, t.permute(1, 0).shape);
        Assert.Equal(new long[] { 1, 2, 3 }, t.unsqueeze(0).shape);
        Assert.Equal(new long[] { 2, 3 }, t.unsqueeze(0).squeeze(0).shape);
        Assert.Equal(new long[] { 6 }, t.flatten().shape);
        Assert.Equal(new long[] { 2, 2, 3 }, t.unsqueeze(0).expand(2, 2, 3).shape);
        Assert.Equal(new float[] { 0, 1, 2, 0, 1, 2 }, t[0].repeat(2).data<float>());
        Assert.Equal(new float[] { 2, 1, 0, 5, 4, 3 }, t.flip(1).data<float>());
        Assert.Equal(new float[] { 1, 2, 4, 5 }, t.narrow(1, 1, 2).data<float>());
        Assert.Equal(new float[] { 0, 2, 3, 5 }, t.slice(1, 0, 3, 2).data<float>());
        Assert.Equal(new float[] { 3, 4, 5 }, t.select(0, 1).data<float>());
    }

    [Fact]
    public void View_IsSharedStorage_WritesShowThrough()
    {
        using var scope = NewDisposeScope();
        var t = zeros(2, 3);
        t.view(6).narrow(0, 4, 1).fill_(7);
        Assert.Equal(7f, t[1][1].item<float>());
    }

    [Fact]
    public void CatStackSplitChunk_RoundTrip()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2 }, [1, 2]);
        var b = tensor(new float[] { 3, 4, 5, 6 }, [2, 2]);
        var joined = cat([a, b], 0);
        Assert.Equal(new long[] { 3, 2 }, joined.shape);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, joined.data<float>());
        Assert.Equal(new long[] { 2, 1, 2 }, stack([a, a], 0).shape);

        var pieces = joined.split([1, 2], 0);
        Assert.Equal(2, pieces.Length);
        Assert.Equal(new float[] { 3, 4, 5, 6 }, pieces[1].data<float>());
        var chunks = arange(0, 7, 1, ScalarType.Float32).chunk(3);
        Assert.Equal(new[] { 3L, 3L, 1L }, chunks.Select(c => c.shape[0]).ToArray());
        var bySize = arange(0, 7, 1, ScalarType.Float32).split(2);
        Assert.Equal(new[] { 2L, 2L, 2L, 1L }, bySize.Select(c => c.shape[0]).ToArray());
    }

    [Fact]
    public void Indexing_IndexSelectGatherMasksAndTensorIndex()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 10, 11, 12, 20, 21, 22 }, [2, 3]);
        var columns = tensor(new long[] { 2, 0 });

        Assert.Equal(new float[] { 12, 10, 22, 20 }, t.index_select(1, columns).data<float>());
        var gatherIndex = tensor(new long[] { 1, 1, 0, 2 }, [2, 2]);
        Assert.Equal(new float[] { 11, 11, 20, 22 }, t.gather(1, gatherIndex).data<float>());
        Assert.Equal(new float[] { 12, 20, 21, 22 }, t.masked_select(t.gt(11)).data<float>());
        Assert.Equal(new float[] { 12, 22 }, t[TensorIndex.Colon, 2].data<float>());
        Assert.Equal(new float[] { 11, 12, 21, 22 }, t[TensorIndex.Ellipsis, TensorIndex.Slice(1)].data<float>());
        Assert.Equal(new long[] { 2, 1, 3 }, t[TensorIndex.Colon, TensorIndex.None].shape);
        Assert.Equal(new float[] { 20, 21, 22 }, t[tensor(new long[] { 1 })].view(3).data<float>());
        Assert.Equal(new long[] { 0, 2, 1, 0, 1, 1, 1, 2 }, t.gt(11).nonzero().data<long>());
    }

    [Fact]
    public void IndexSetter_WritesIntoTheTensor()
    {
        using var scope = NewDisposeScope();
        var t = zeros(2, 3);
        t[TensorIndex.Colon, 1] = tensor(new float[] { 5, 6 });
        t[tensor(new[] { true, false })] = full([1, 3], 1);
        Assert.Equal(new float[] { 1, 1, 1, 0, 6, 0 }, t.data<float>());
    }

    [Fact]
    public void ScatterAdd_AccumulatesIntoBins()
    {
        using var scope = NewDisposeScope();
        var bins = zeros(3).scatter_add(0, tensor(new long[] { 0, 2, 2, 1 }), tensor(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(new float[] { 1, 4, 5 }, bins.data<float>());
    }

    [Fact]
    public void Searchsorted_FindsInsertionPoints()
    {
        using var scope = NewDisposeScope();
        var cdf = tensor(new float[] { 0, 0.25f, 0.5f, 1 });
        var u = tensor(new float[] { 0.1f, 0.5f, 0.9f });
        Assert.Equal(new long[] { 1, 2, 3 }, searchsorted(cdf, u).data<long>());
        Assert.Equal(new long[] { 1, 3, 3 }, searchsorted(cdf, u, right: true).data<long>());
    }

    [Fact]
    public void Meshgrid_And_Einsum_MatchDefinitions()
    {
        using var scope = NewDisposeScope();
        var grids = meshgrid([tensor(new float[] { 1, 2 }), tensor(new float[] { 3, 4, 5 })], "ij");
        Assert.Equal(new long[] { 2, 3 }, grids[0].shape);
        Assert.Equal(new float[] { 3, 4, 5, 3, 4, 5 }, grids[1].data<float>());
        var xy = meshgrid([tensor(new float[] { 1, 2 }), tensor(new float[] { 3, 4, 5 })], "xy");
        Assert.Equal(new long[] { 3, 2 }, xy[0].shape);
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        Assert.Equal(new float[] { 5 }, einsum("ii->", a).view(1).data<float>());
    }

    [Fact]
    public void InPlaceOps_ModifyTheSameTensor()
    {
        using var scope = NewDisposeScope();
        var t = ones(3);
        var same = t.mul_(3).add_(1);
        Assert.Same(t, same);
        Assert.Equal(new float[] { 4, 4, 4 }, t.data<float>());
        t.zero_();
        Assert.Equal(0f, t.sum().item<float>());
    }

    [Fact]
    public void SortAndTopk_ReturnValuesWithIndices()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 3, 1, 2 });
        var (values, indices) = t.sort();
        Assert.Equal(new float[] { 1, 2, 3 }, values.data<float>());
        Assert.Equal(new long[] { 1, 2, 0 }, indices.data<long>());
        var (top, topIndex) = t.topk(2);
        Assert.Equal(new float[] { 3, 2 }, top.data<float>());
        Assert.Equal(new long[] { 0, 2 }, topIndex.data<long>());
    }
}
