using RealtimeHead.Model.Camera;
using RealtimeHead.Model.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Rendering;

public sealed class NeRFRendererTests
{
    private const float Radius = 0.3f;
    private static readonly float[] SphereColour = [0.2f, 0.6f, 0.9f];
    private static readonly float[] White = [1f, 1f, 1f];

    /// <summary>A solid sphere of radius 0.3 at the origin: σ = 1000 and constant colour inside, empty outside.</summary>
    private static FieldOutput Sphere(Tensor points)
    {
        var inside = points.norm(-1, keepdim: true).lt(Radius).to(ScalarType.Float32);
        var n = points.size(1);
        var rgb = tensor(SphereColour).expand(points.size(0), n, 3);
        var features = full([points.size(0), n, 2], 0.5);
        return new FieldOutput(inside.mul(1000), rgb, features);
    }

    private static NeRFRenderer Renderer(int resolution, int coarse, int fine, float[]? background = null) =>
        new(new RayGenerator(resolution, 1.5f), new RaySampler(coarse, fine, 0.5f), new VolumeRenderer(background));

    [Fact]
    public void RenderImage_SolidSphere_ColourInsideBackgroundOutside()
    {
        using var scope = NewDisposeScope();
        var renderer = Renderer(9, 16, 16, White);
        var result = renderer.RenderImage(Sphere, HeadPose.LookAt(0, 0, 0, 1.5f), training: false);
        RenderAssert.Shape([1, 5, 9, 9], result.Image);
        RenderAssert.Shape([1, 9, 9], result.Opacity);
        var image = result.Image[0];
        // Centre pixel (4, 4): inside the silhouette; corner (0, 0): the ray passes 0.58 from the centre, outside.
        RenderAssert.Close([.. SphereColour, 0.5f, 0.5f], image.select(1, 4).select(1, 4), 1e-3);
        RenderAssert.Close([1f, 1f, 1f, 0f, 0f], image.select(1, 0).select(1, 0), 1e-6);
        Assert.True(result.Opacity[0][4][4].ToDouble() > 0.999);
        Assert.True(result.Opacity[0][0][0].ToDouble() < 1e-6);
    }

    [Fact]
    public void RenderImage_SolidSphere_CentreDepthIsTheSurfaceDistance()
    {
        using var scope = NewDisposeScope();
        // Importance samples refine inside the coarse segment that holds the weight, which begins at most half a coarse
        // spacing before the first coarse sample inside the sphere: the surface is found to about that (chord 1.14 / 96).
        var renderer = Renderer(9, 48, 32);
        var result = renderer.RenderImage(Sphere, HeadPose.LookAt(0.5f, -0.2f, 0.3f, 1.5f), training: false);
        // Camera 1.5 from the centre, sphere radius 0.3: the centre ray enters at 1.2.
        Assert.InRange(result.Depth[0][4][4].ToDouble(), 1.199, 1.2125);
    }

    [Fact]
    public void RenderImage_SilhouetteMatchesTheAnalyticDisc()
    {
        using var scope = NewDisposeScope();
        const int resolution = 15;
        var renderer = Renderer(resolution, 16, 16);
        var pose = HeadPose.LookAt(0, 0, 0, 1.5f);
        var opacity = renderer.RenderImage(Sphere, pose, training: false).Opacity.data<float>();
        var rays = new RayGenerator(resolution, 1.5f).Generate(pose);
        // A ray from o with unit d misses the sphere iff its closest approach to the centre exceeds the radius.
        var o = rays.Origins;
        var d = rays.Directions;
        var closest = o.sub(d.mul(o.mul(d).sum(-1, keepdim: true))).norm(-1).data<float>();
        for (var i = 0; i < closest.Length; i++)
        {
            if (closest[i] < Radius - 0.02f) Assert.True(opacity[i] > 0.99, $"pixel {i} (closest approach {closest[i]}) should be opaque: {opacity[i]}");
            if (closest[i] > Radius + 0.001f) Assert.True(opacity[i] < 1e-6, $"pixel {i} (closest approach {closest[i]}) should be empty: {opacity[i]}");
        }
    }

    [Fact]
    public void RenderRays_ConstantDensityInTheCube_OpacityIsOneMinusExpOfSigmaTimesChord()
    {
        using var scope = NewDisposeScope();
        const double sigma = 1.3;
        var renderer = Renderer(5, 8, 8);
        FieldOutput Fog(Tensor points) => new(full([points.size(0), points.size(1), 1], sigma), zeros(points.size(0), points.size(1), 3), zeros(points.size(0), points.size(1), 0));
        var rays = renderer.Rays.Generate(HeadPose.LookAt(0.3f, 0.2f, 0, 1.5f));
        var result = renderer.RenderRays(Fog, rays.Origins, rays.Directions, training: true);
        var chord = result.Far.sub(result.Near).squeeze(-1);
        Assert.True(chord.min().ToDouble() > 0.5, "every ray of this camera crosses the cube");
        RenderAssert.Close(chord.mul(-sigma).exp().neg().add(1), result.Final.Opacity, 1e-5);
    }

    [Fact]
    public void RenderRays_CallsTheFieldTwiceAndReportsWeightsInQueryOrder()
    {
        using var scope = NewDisposeScope();
        var renderer = Renderer(4, 6, 5);
        var calls = new List<long[]>();
        FieldOutput Counting(Tensor points)
        {
            calls.Add(points.shape);
            return Sphere(points);
        }
        var rays = renderer.Rays.Generate(HeadPose.LookAt(tensor(new[] { 0f, 0.4f }), tensor(new[] { 0f, 0f }), tensor(new[] { 0f, 0f }), 1.5));
        var result = renderer.RenderRays(Counting, rays.Origins, rays.Directions, training: true);
        Assert.Equal(new[] { new long[] { 2, 16 * 6, 3 }, new long[] { 2, 16 * 5, 3 } }, calls);
        RenderAssert.Shape([2, 16, 11], result.Final.Weights);
        RenderAssert.Shape([2, 16, 6], result.CoarseWeights);
        RenderAssert.Shape([2, 16, 11], result.QueryWeights);
        RenderAssert.Close(result.Final.Opacity, result.QueryWeights.sum(-1), 1e-6);
        var t = result.Final.T;
        Assert.True(t.slice(-1, 1, 11, 1).sub(t.slice(-1, 0, 10, 1)).min().ToDouble() >= 0, "merged samples are sorted");
    }

    [Fact]
    public void RenderMasked_MatchesTheFullRenderInsideAndBackgroundOutside()
    {
        using var scope = NewDisposeScope();
        var renderer = Renderer(7, 8, 8, White);
        var pose = HeadPose.LookAt(tensor(new[] { 0f, 0.3f }), tensor(new[] { 0f, 0.1f }), tensor(new[] { 0f, 0f }), 1.5);
        var mask = zeros(2, 7, 7);
        mask[0].narrow(0, 2, 3).narrow(1, 2, 3).fill_(1);   // 9 pixels
        mask[1][3][3].fill_(1);                              // 1 pixel
        var masked = renderer.RenderMasked(Sphere, pose, mask, training: false);
        var full = renderer.RenderImage(Sphere, pose, training: false);
        RenderAssert.Shape([2, 5, 7, 7], masked.Image);
        var inside = mask.unsqueeze(1);
        var expected = full.Image.mul(inside).add(tensor(new[] { 1f, 1f, 1f, 0f, 0f }).reshape(1, 5, 1, 1).mul(inside.neg().add(1)));
        RenderAssert.Close(expected, masked.Image, 1e-5);
        RenderAssert.Close(full.Opacity.mul(mask), masked.Opacity, 1e-5);
        RenderAssert.Close(full.Depth.mul(mask), masked.Depth, 1e-5);
    }

    [Fact]
    public void RenderImage_ThroughDecoder_GradientsReachEveryDecoderParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(41);
        using var decoder = new TriPlaneDecoder(6, 16, 4);
        FieldOutput Field(Tensor points) => decoder.forward(cat([points.mul(4).sin(), points.mul(4).cos()], -1));
        var renderer = Renderer(5, 6, 6);
        var result = renderer.RenderImage(Field, HeadPose.LookAt(0.2f, 0, 0, 1.5f), training: true);
        RenderAssert.Shape([1, 7, 5, 5], result.Image);
        result.Image.sum().add(result.Depth.sum()).backward();
        RenderAssert.EveryParameterHasGradient(decoder);
    }

    [Fact]
    public void RenderMasked_ThroughDecoder_GradientsReachEveryDecoderParameter()
    {
        using var scope = NewDisposeScope();
        manual_seed(42);
        using var decoder = new TriPlaneDecoder(3, 8, 2);
        FieldOutput Field(Tensor points) => decoder.forward(points.mul(3).sin());
        var mask = zeros(1, 5, 5);
        mask[0].narrow(0, 1, 3).narrow(1, 1, 2).fill_(1);
        var result = Renderer(5, 6, 6).RenderMasked(Field, HeadPose.LookAt(0, 0.1f, 0, 1.5f), mask, training: true);
        result.Image.sum().backward();
        RenderAssert.EveryParameterHasGradient(decoder);
    }

    [Fact]
    public void RenderImage_NoImportanceSamples_StillRenders()
    {
        using var scope = NewDisposeScope();
        var result = Renderer(9, 24, 0, White).RenderImage(Sphere, HeadPose.LookAt(0, 0, 0, 1.5f), training: false);
        Assert.True(result.Opacity[0][4][4].ToDouble() > 0.99);
        RenderAssert.Shape([1, 81, 24], result.Rays.QueryWeights);
        RenderAssert.Close(result.Rays.Final.Weights, result.Rays.QueryWeights, 0);
    }

    [Fact]
    public void Constructor_Config_UsesRenderSizeAndSamples()
    {
        var renderer = new NeRFRenderer(S3DNeRFConfig.Tiny);
        Assert.Equal(32, renderer.Resolution);
        Assert.Equal(8, renderer.Sampler.CoarseSamples);
        Assert.Equal(8, renderer.Sampler.ImportanceSamples);
        Assert.Equal(new[] { 0f, 0f, 0f }, renderer.Volume.Background);
        Assert.Equal(16_384, renderer.PointsPerImage);
    }
}
