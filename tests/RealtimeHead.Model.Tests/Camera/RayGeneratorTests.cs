using RealtimeHead.Model.Camera;
using RealtimeHead.Model.Tests.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Camera;

public sealed class RayGeneratorTests
{
    [Fact]
    public void Generate_Tiny_GivesUnitRaysForEveryPixelFromTheCameraCentre()
    {
        using var scope = NewDisposeScope();
        var config = S3DNeRFConfig.Tiny;
        var pose = HeadPose.LookAt(tensor(new[] { 0f, 0.5f }), tensor(new[] { 0f, 0.1f }), tensor(new[] { 0f, 0f }), config.CameraDistance);
        var rays = new RayGenerator(config).Generate(pose);
        RenderAssert.Shape([2, 32 * 32, 3], rays.Origins);
        RenderAssert.Shape([2, 32 * 32, 3], rays.Directions);
        RenderAssert.Close(ones(2, 32 * 32), rays.Directions.norm(-1), 1e-5);
        RenderAssert.Close(HeadPose.Translation(pose).unsqueeze(1).expand(2, 32 * 32, 3), rays.Origins, 1e-6);
    }

    [Fact]
    public void Generate_FrontalPixelCentres_MatchHandDirections()
    {
        using var scope = NewDisposeScope();
        // R = 4, f = 1 image width = 4 px: pixel (v, u) looks along ((u + ½ − 2)/4, (v + ½ − 2)/4, 1).
        var rays = new RayGenerator(4, 1f).Generate(HeadPose.LookAt(0, 0, 0, 1.5f));
        var n = 1 / MathF.Sqrt(0.375f * 0.375f * 2 + 1);
        RenderAssert.Close([-0.375f * n, -0.375f * n, n], rays.Directions[0][0], 1e-6);   // (v 0, u 0): top left
        RenderAssert.Close([0.375f * n, -0.375f * n, n], rays.Directions[0][3], 1e-6);    // (v 0, u 3): top right
        var m = 1 / MathF.Sqrt(0.125f * 0.125f + 0.375f * 0.375f + 1);
        RenderAssert.Close([-0.125f * m, 0.375f * m, m], rays.Directions[0][13], 1e-6);   // (v 3, u 1): bottom row
    }

    [Fact]
    public void Generate_PixelSubset_MatchesTheFullRays()
    {
        using var scope = NewDisposeScope();
        var generator = new RayGenerator(6, 1.2f);
        var pose = HeadPose.LookAt(tensor(new[] { 0.2f, -0.4f }), tensor(new[] { 0.1f, 0f }), tensor(new[] { 0f, 0.3f }), 1.5);
        var indices = tensor(new long[] { 0, 7, 35, 20, 20, 1 }, [2, 3]);
        var subset = generator.Generate(pose, indices);
        var all = generator.Generate(pose);
        RenderAssert.Shape([2, 3, 3], subset.Directions);
        var expected = all.Directions.gather(1, indices.unsqueeze(-1).expand(2, 3, 3));
        RenderAssert.Close(expected, subset.Directions, 1e-6);
    }

    [Fact]
    public void MaskedPixelIndices_UnequalMasks_PadWithInvalidOutsidePixels()
    {
        using var scope = NewDisposeScope();
        var mask = zeros(2, 4, 4);
        var flat = mask.view(2, 16);
        flat[0][6].fill_(1);
        flat[0][1].fill_(1);
        flat[0][5].fill_(1);
        flat[1][10].fill_(1);
        var (indices, valid) = new RayGenerator(4, 1f).MaskedPixelIndices(mask);
        Assert.Equal(new long[] { 1, 5, 6, 10, 0, 1 }, indices.data<long>());
        Assert.Equal(new[] { true, true, true, true, false, false }, valid.data<bool>());
    }

    [Fact]
    public void MaskedPixelIndices_WrongSize_Throws()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => new RayGenerator(4, 1f).MaskedPixelIndices(ones(1, 5, 5)));
    }
}
