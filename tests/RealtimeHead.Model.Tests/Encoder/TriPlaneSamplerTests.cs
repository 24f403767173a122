using RealtimeHead.Model.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Encoder;

public sealed class TriPlaneSamplerTests
{
    private const int Batch = 2;
    private const int Channels = 2;

    // Level sizes (H, W): the first is non-square so that a swapped width/height axis would show.
    private static readonly (int H, int W)[] Sizes = [(4, 8), (2, 2)];

    // Plane p, channel c of batch b at level l holds the ramp A·u + B·v + D, with (u, v) the normalised
    // (align_corners = false) coordinates of each pixel centre: bilinear interpolation reproduces it exactly
    // anywhere between the outermost pixel centres.
    private static double A(int b, int l, int p, int c) => 0.1 * (1 + b + 2 * l + 3 * p + c);
    private static double B(int b, int l, int p, int c) => 0.2 * (2 - p + l + 0.5 * b - c);
    private static double D(int b, int l, int p, int c) => 0.01 * (p + 1) * (c + 1) + l;

    private static Tensor RampPlanes(int level)
    {
        var (height, width) = Sizes[level];
        var values = new float[Batch * 3 * Channels * height * width];
        var index = 0;
        for (var b = 0; b < Batch; b++)
        for (var p = 0; p < 3; p++)
        for (var c = 0; c < Channels; c++)
        for (var h = 0; h < height; h++)
        for (var w = 0; w < width; w++)
        {
            var u = (2.0 * w + 1) / width - 1;
            var v = (2.0 * h + 1) / height - 1;
            values[index++] = (float)(A(b, level, p, c) * u + B(b, level, p, c) * v + D(b, level, p, c));
        }
        return tensor(values, [Batch, 3, Channels, height, width]);
    }

    private static double Expected(int b, int level, int c, double x, double y, double z)
    {
        (double u, double v)[] projections = [(x, y), (y, z), (x, z)]; // planes xy, yz, xz
        var sum = 0.0;
        for (var p = 0; p < 3; p++)
        {
            sum += A(b, level, p, c) * projections[p].u + B(b, level, p, c) * projections[p].v + D(b, level, p, c);
        }
        return sum;
    }

    [Fact]
    public void Sample_LinearRampPlanes_GivesAnalyticSumOfThePlanes()
    {
        using var scope = NewDisposeScope();
        double[][] points = [[0, 0, 0], [0.5, -0.5, 0.25], [-0.3, 0.45, -0.5], [0.1, 0.2, 0.3]];
        var flat = new float[Batch * points.Length * 3];
        for (var b = 0; b < Batch; b++)
        for (var n = 0; n < points.Length; n++)
        for (var k = 0; k < 3; k++)
        {
            // Batch 1 sees the points mirrored so that each batch entry uses its own grid.
            flat[(b * points.Length + n) * 3 + k] = (float)(b == 0 ? points[n][k] : -points[n][k]);
        }
        using var pyramid = new TriPlanePyramid([RampPlanes(0), RampPlanes(1)], [zeros(Batch, 1, 4, 8), zeros(Batch, 1, 2, 2)]);

        var sampled = TriPlaneSampler.Sample(pyramid, tensor(flat, [Batch, points.Length, 3]));

        Assert.Equal(new long[] { Batch, points.Length, 2 * Channels }, sampled.shape);
        var actual = sampled.data<float>();
        for (var b = 0; b < Batch; b++)
        for (var n = 0; n < points.Length; n++)
        for (var level = 0; level < 2; level++)
        for (var c = 0; c < Channels; c++)
        {
            var sign = b == 0 ? 1 : -1;
            var expected = Expected(b, level, c, sign * points[n][0], sign * points[n][1], sign * points[n][2]);
            var value = actual[(b * points.Length + n) * 2 * Channels + level * Channels + c];
            Assert.True(Math.Abs(value - expected) < 1e-5, $"b{b} point {n} level {level} channel {c}: {value}, expected {expected}");
        }
    }

    [Fact]
    public void Sample_PointFarOutsideTheCube_ReadsZero()
    {
        using var scope = NewDisposeScope();
        using var pyramid = new TriPlanePyramid([RampPlanes(0), RampPlanes(1)], [zeros(Batch, 1, 4, 8), zeros(Batch, 1, 2, 2)]);
        var sampled = TriPlaneSampler.Sample(pyramid, full([Batch, 1, 3], 5.0));
        Assert.All(sampled.data<float>(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Sample_TinyEncoderPyramid_GivesLevelsTimesPlaneChannelsAndBackpropagates()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var config = S3DNeRFConfig.Tiny;
        using var encoder = new HierarchicalAppearanceEncoder(config);
        using var pyramid = encoder.forward(rand([1, 3, 128, 128]) * 2 - 1);
        var points = (rand([1, 50, 3]) * 2 - 1).requires_grad_();

        var sampled = TriPlaneSampler.Sample(pyramid, points);

        Assert.Equal(new long[] { 1, 50, TriPlaneSampler.OutputChannels(config) }, sampled.shape);
        Assert.Equal(48, TriPlaneSampler.OutputChannels(config));
        GradientAssert.ProbeLoss(sampled).backward();
        GradientAssert.EveryParameterHasGradient(encoder);
        Assert.True(points.grad!.abs().sum().item<float>() > 0, "the deformation needs gradients with respect to the points");
    }

    [Fact]
    public void Sample_PointsNotBy3_Throws()
    {
        using var scope = NewDisposeScope();
        using var pyramid = new TriPlanePyramid([RampPlanes(0)], [zeros(Batch, 1, 4, 8)]);
        Assert.Throws<ArgumentException>(() => TriPlaneSampler.Sample(pyramid, zeros(Batch, 4, 2)));
    }
}
