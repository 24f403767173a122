using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Torch.Tests.Nn;

/// <summary>nn.functional against values computed by hand from each op's definition.</summary>
public sealed class FunctionalTests
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
    public void Linear_ComputesXWTransposePlusBias()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2 }, [1, 2]);
        var w = tensor(new float[] { 1, 0, 2, 3 }, [2, 2]);
        var b = tensor(new float[] { 0.5f, -1 });
        Assert.Equal(new float[] { 1.5f, 7 }, F.linear(x, w, b).data<float>());
    }

    [Fact]
    public void Conv2d_3x3Input2x2Kernel_MatchesSlidingSum()
    {
        using var scope = NewDisposeScope();
        var x = arange(1, 10, 1, ScalarType.Float32).reshape(1, 1, 3, 3);
        var w = tensor(new float[] { 1, 0, 0, -1 }, [1, 1, 2, 2]);
        // Each output = top-left minus bottom-right of its 2x2 window: 1-5, 2-6, 4-8, 5-9.
        Assert.Equal(new float[] { -4, -4, -4, -4 }, F.conv2d(x, w).data<float>());
        var padded = F.conv2d(x, w, null, stride: 2, padding: 1);
        Assert.Equal(new long[] { 1, 1, 2, 2 }, padded.shape);
        // Padding 1, stride 2: windows centred so the outputs are -x[0,0], -x[0,2], -x[2,0], x[1,1]-x[2,2].
        Assert.Equal(new float[] { -1, -3, -7, 5 - 9 }, padded.data<float>());
    }

    [Fact]
    public void Conv1d_Dilation_SkipsSamples()
    {
        using var scope = NewDisposeScope();
        var x = arange(0, 6, 1, ScalarType.Float32).reshape(1, 1, 6);
        var w = tensor(new float[] { 1, 1 }, [1, 1, 2]);
        Assert.Equal(new float[] { 2, 4, 6, 8 }, F.conv1d(x, w, null, dilation: 2).data<float>());
    }

    [Fact]
    public void ConvTranspose2d_Stride2_ScattersKernel()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2 }, [1, 1, 1, 2]);
        var w = ones([1, 1, 2, 2]);
        var y = F.conv_transpose2d(x, w, null, strides: [2, 2]);
        Assert.Equal(new long[] { 1, 1, 2, 4 }, y.shape);
        Assert.Equal(new float[] { 1, 1, 2, 2, 1, 1, 2, 2 }, y.data<float>());
    }

    [Fact]
    public void LayerNorm_NormalizesLastDimension()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4 }, [1, 4]);
        var y = F.layer_norm(x, [4], eps: 0).data<float>();
        // mean 2.5, population variance 1.25
        var s = MathF.Sqrt(1.25f);
        AssertClose(new[] { -1.5f / s, -0.5f / s, 0.5f / s, 1.5f / s }, y);
    }

    [Fact]
    public void GroupNorm_NormalizesEachGroupSeparately()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 3, 10, 30 }, [1, 4, 1, 1]);
        var y = F.group_norm(x, 2, eps: 0).data<float>();
        AssertClose(new float[] { -1, 1, -1, 1 }, y);
    }

    [Fact]
    public void Pooling_MaxAvgAndAdaptive()
    {
        using var scope = NewDisposeScope();
        var x = arange(1, 17, 1, ScalarType.Float32).reshape(1, 1, 4, 4);
        Assert.Equal(new float[] { 6, 8, 14, 16 }, F.max_pool2d(x, 2).data<float>());
        Assert.Equal(new float[] { 3.5f, 5.5f, 11.5f, 13.5f }, F.avg_pool2d(x, 2).data<float>());
        Assert.Equal(new float[] { 8.5f }, F.adaptive_avg_pool2d(x, [1, 1]).data<float>());
    }

    [Fact]
    public void Interpolate_NearestAndBilinear_MatchDefinitions()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 0, 1, 2, 3 }, [1, 1, 2, 2]);
        var nearest = F.interpolate(x, [4, 4]);
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3 }, nearest.data<float>());

        var aligned = F.interpolate(x, [3, 3], mode: InterpolationMode.Bilinear, align_corners: true);
        Assert.Equal(new float[] { 0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3 }, aligned.data<float>());

        // align_corners=false on 2 -> 4: source coordinates -0.25, 0.25, 0.75, 1.25 (clamped at the edges).
        var unaligned = F.interpolate(x, [4, 4], mode: InterpolationMode.Bilinear);
        Assert.Equal(new long[] { 1, 1, 4, 4 }, unaligned.shape);
        AssertClose(new float[] { 0, 0.25f, 0.75f, 1 }, unaligned[0][0][0].data<float>());
        var scaled = F.interpolate(x, scale_factor: [2.0]);
        Assert.Equal(new long[] { 1, 1, 4, 4 }, scaled.shape);
    }

    [Fact]
    public void GridSample_AlignCorners_MapsExtremesToCornerCentresOrEdges()
    {
        using var scope = NewDisposeScope();
        var image = tensor(new float[] { 0, 1, 2, 3 }, [1, 1, 2, 2]);
        // Grid points (x, y): the four corners and the centre.
        var grid = tensor(new float[] { -1, -1, 1, -1, -1, 1, 1, 1, 0, 0 }, [1, 1, 5, 2]);

        var aligned = F.grid_sample(image, grid, align_corners: true).data<float>();
        AssertClose(new float[] { 0, 1, 2, 3, 1.5f }, aligned);

        // align_corners=false: -1 is the outer edge of pixel 0, half outside; with zero padding a corner gets 1/4 of the
        // pixel value (bilinear weight 0.5 x 0.5).
        var unaligned = F.grid_sample(image, grid, align_corners: false).data<float>();
        AssertClose(new float[] { 0, 0.25f, 0.5f, 0.75f, 1.5f }, unaligned);

        var border = F.grid_sample(image, grid, padding_mode: GridSamplePaddingMode.Border, align_corners: false).data<float>();
        AssertClose(new float[] { 0, 1, 2, 3, 1.5f }, border);

        var nearest = F.grid_sample(image, tensor(new float[] { -0.6f, -0.6f }, [1, 1, 1, 2]), GridSampleMode.Nearest, align_corners: true).data<float>();
        Assert.Equal(new float[] { 0 }, nearest);
    }

    [Fact]
    public void PixelShuffle_And_Unshuffle_AreInverses()
    {
        using var scope = NewDisposeScope();
        var x = arange(0, 16, 1, ScalarType.Float32).reshape(1, 4, 2, 2);
        var up = F.pixel_shuffle(x, 2);
        Assert.Equal(new long[] { 1, 1, 4, 4 }, up.shape);
        // out[0, 0, 0, 0..3] = in[c=0,(0,0)], in[c=1,(0,0)], in[c=0,(0,1)], in[c=1,(0,1)]
        Assert.Equal(new float[] { 0, 4, 1, 5 }, up[0][0][0].data<float>());
        Assert.Equal(x.data<float>(), F.pixel_unshuffle(up, 2).data<float>());
    }

    [Fact]
    public void Pad_ConstantAndReplicate()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2 }, [1, 1, 2]);
        Assert.Equal(new float[] { 9, 1, 2, 9, 9 }, F.pad(x, [1, 2], value: 9).data<float>());
        Assert.Equal(new float[] { 1, 1, 2, 2 }, F.pad(x, [1, 1], PaddingModes.Replicate).data<float>());
    }

    [Fact]
    public void NormalizeAndCosineSimilarity_UseL2Norm()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 3, 4 }, [1, 2]);
        var b = tensor(new float[] { 4, 3 }, [1, 2]);
        AssertClose(new[] { 0.6f, 0.8f }, F.normalize(a).data<float>());
        AssertClose(new[] { 24f / 25f }, F.cosine_similarity(a, b).data<float>());
    }

    [Fact]
    public void Dropout_TrainingZeroesAndRescales_EvalIsIdentity()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = ones(10_000);
        var dropped = F.dropout(x, 0.25, training: true).data<float>();
        Assert.All(dropped, v => Assert.True(v == 0 || Math.Abs(v - 1 / 0.75f) < 1e-5));
        Assert.InRange(dropped.Count(v => v == 0) / 10_000.0, 0.22, 0.28);
        Assert.Equal(x.data<float>(), F.dropout(x, 0.25, training: false).data<float>());
    }

    [Fact]
    public void Losses_MatchDefinitions()
    {
        using var scope = NewDisposeScope();
        var input = tensor(new float[] { 0, 2 });
        var target = tensor(new float[] { 1, 0 });
        Assert.Equal(2.5f, F.mse_loss(input, target).item<float>(), 5);
        Assert.Equal(3f, F.l1_loss(input, target, torch.nn.Reduction.Sum).item<float>(), 5);
        // BCE with logits: mean of log(1+e^-0)·1 and log(1+e^2)
        var expected = (MathF.Log(2) + MathF.Log(1 + MathF.Exp(2))) / 2;
        Assert.Equal(expected, F.binary_cross_entropy_with_logits(input, target).item<float>(), 5);
        var logits = tensor(new float[] { 2, 0, 0, 2 }, [2, 2]);
        var labels = tensor(new long[] { 0, 1 });
        Assert.Equal(MathF.Log(1 + MathF.Exp(-2)), F.cross_entropy(logits, labels).item<float>(), 5);
    }
}
