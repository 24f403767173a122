using RealtimeHead.Model.Camera;
using RealtimeHead.Model.Tests.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Camera;

public sealed class TriPlaneSpaceTests
{
    [Fact]
    public void ToTriPlane_FrontalSource_ScalesWorldByExtent()
    {
        using var scope = NewDisposeScope();
        var space = new TriPlaneSpace(0.5f);
        var points = tensor(new float[] { 0.5f, -0.5f, 0.25f, 0, 0, 0 }, [1, 2, 3]);
        RenderAssert.Close([1, -1, 0.5f, 0, 0, 0], space.ToTriPlane(points, HeadPose.LookAt(0, 0, 0, 1.5f)), 1e-6);
    }

    [Fact]
    public void ToTriPlane_TurnedSource_AlignsAxesWithTheSourceCamera()
    {
        using var scope = NewDisposeScope();
        var space = new TriPlaneSpace(0.5f);
        var source = HeadPose.LookAt(0.7f, -0.3f, 0.2f, 1.5f);
        var r = HeadPose.Rotation(source)[0];
        // A point on the source camera's optical axis (depth 0.25 behind the head centre) and one along its x axis.
        var points = stack([r.select(1, 2).mul(0.25), r.select(1, 0).mul(-0.4)], 0).unsqueeze(0);
        RenderAssert.Close([0, 0, 0.5f, -0.8f, 0, 0], space.ToTriPlane(points, source), 1e-5);
    }

    [Fact]
    public void ToTriPlane_SameRotationOtherDistance_GivesSameCoordinates()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var space = new TriPlaneSpace(S3DNeRFConfig.Tiny);
        var points = rand(1, 8, 3).sub(0.5);
        var near = space.ToTriPlane(points, HeadPose.LookAt(0.3f, 0.1f, 0, 1.2f));
        var far = space.ToTriPlane(points, HeadPose.LookAt(0.3f, 0.1f, 0, 4f));
        RenderAssert.Close(near, far, 1e-6);
    }

    [Fact]
    public void ToWorld_UndoesToTriPlane()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var space = new TriPlaneSpace(0.5f);
        var source = HeadPose.LookAt(tensor(new[] { 0.4f, -0.9f }), tensor(new[] { 0.2f, 0f }), tensor(new[] { 0f, 0.5f }), 1.5);
        var points = randn(2, 10, 3);
        RenderAssert.Close(points, space.ToWorld(space.ToTriPlane(points, source), source), 1e-5);
    }

    [Fact]
    public void PlaneGrids_PairCoordinatesAsDocumented()
    {
        using var scope = NewDisposeScope();
        var points = tensor(new float[] { 0.1f, 0.2f, 0.3f, -0.4f, -0.5f, -0.6f }, [1, 2, 3]);
        var (xy, yz, xz) = TriPlaneSpace.PlaneGrids(points);
        RenderAssert.Shape([1, 1, 2, 2], xy);
        RenderAssert.Close([0.1f, 0.2f, -0.4f, -0.5f], xy, 1e-7);
        RenderAssert.Close([0.2f, 0.3f, -0.5f, -0.6f], yz, 1e-7);
        RenderAssert.Close([0.1f, 0.3f, -0.4f, -0.6f], xz, 1e-7);
    }
}
