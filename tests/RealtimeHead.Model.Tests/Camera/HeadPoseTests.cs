using RealtimeHead.Model.Camera;
using RealtimeHead.Model.Tests.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Camera;

public sealed class HeadPoseTests
{
    [Fact]
    public void LookAt_Frontal_IsIdentityRotationOnMinusZ()
    {
        using var scope = NewDisposeScope();
        var pose = HeadPose.LookAt(0, 0, 0, 1.5f);
        RenderAssert.Close([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -1.5f, 0, 0, 0, 1], pose, 1e-6);
    }

    [Fact]
    public void Frontal_Config_RepeatsForBatchAtConfigDistance()
    {
        using var scope = NewDisposeScope();
        var pose = HeadPose.Frontal(S3DNeRFConfig.Tiny, 3);
        RenderAssert.Shape([3, 4, 4], pose);
        RenderAssert.Close([0, 0, -S3DNeRFConfig.Tiny.CameraDistance], HeadPose.Translation(pose)[2], 1e-6);
    }

    [Theory]
    [InlineData(0f, 0f, 0f)]
    [InlineData(0.4f, 0f, 0f)]
    [InlineData(-0.3f, 0.2f, 0.1f)]
    [InlineData(1.2f, -0.5f, -0.7f)]
    public void LookAt_AnyAngles_CentrePixelRayPassesThroughOrigin(float yaw, float pitch, float roll)
    {
        using var scope = NewDisposeScope();
        var pose = HeadPose.LookAt(yaw, pitch, roll, 1.5f);
        var rays = new RayGenerator(9, 1.5f).Generate(pose);
        var centre = 4 * 9 + 4;
        var o = rays.Origins[0][centre];
        var d = rays.Directions[0][centre];
        // Distance from the origin to the line o + t·d (|d| = 1): |o − (o·d)·d|.
        var closest = o.sub(d.mul(o.mul(d).sum()));
        Assert.True(closest.norm().ToDouble() < 1e-5, $"centre ray misses the origin by {closest.norm().ToDouble()}");
        Assert.True(o.mul(d).sum().ToDouble() < 0, "the camera must look towards the origin, not away");
        Assert.Equal(1.5, o.norm().ToDouble(), 5);
    }

    [Fact]
    public void LookAt_Rotation_IsProperOrthonormal()
    {
        using var scope = NewDisposeScope();
        var pose = HeadPose.LookAt(tensor(new[] { 0.3f, -1f }), tensor(new[] { 0.2f, 0.4f }), tensor(new[] { -0.1f, 0.8f }), 2);
        var r = HeadPose.Rotation(pose);
        RenderAssert.Close(eye(2), r.transpose(1, 2).bmm(r), 1e-6);
        // det R = (c0 × c1)·c2 = +1 (right-handed camera, as OpenCV's).
        var c0 = r.select(2, 0);
        var c1 = r.select(2, 1);
        var c2 = r.select(2, 2);
        RenderAssert.Close([1f, 1f], Cross(c0, c1).mul(c2).sum(1), 1e-6);
    }

    [Fact]
    public void LookAt_PositiveYawAndPitch_MoveCameraTowardsMinusXAndPlusY()
    {
        using var scope = NewDisposeScope();
        var yawed = HeadPose.Translation(HeadPose.LookAt(MathF.PI / 2, 0, 0, 2));
        RenderAssert.Close([-2, 0, 0], yawed, 1e-5);
        var pitched = HeadPose.Translation(HeadPose.LookAt(0, MathF.PI / 2, 0, 2));
        RenderAssert.Close([0, 2, 0], pitched, 1e-5);
    }

    [Fact]
    public void LookAt_Roll_KeepsCentreAndTurnsXAxisTowardsY()
    {
        using var scope = NewDisposeScope();
        var pose = HeadPose.LookAt(0, 0, MathF.PI / 2, 1.5f);
        RenderAssert.Close([0, 0, -1.5f], HeadPose.Translation(pose), 1e-6);
        RenderAssert.Close([0, 1, 0], HeadPose.Rotation(pose).select(2, 0), 1e-6);
    }

    [Fact]
    public void Inverse_TimesPose_IsIdentity()
    {
        using var scope = NewDisposeScope();
        var pose = HeadPose.LookAt(tensor(new[] { 0.3f, -1f, 2f }), tensor(new[] { 0.2f, 0.4f, -0.6f }), tensor(new[] { -0.1f, 0.8f, 0f }), 1.7);
        RenderAssert.Close(eye4(3), HeadPose.Inverse(pose).bmm(pose), 1e-5);
        RenderAssert.Close(eye4(3), pose.bmm(HeadPose.Inverse(pose)), 1e-5);
    }

    [Fact]
    public void TransformPoints_QuarterTurnAndShift_MatchesHandValues()
    {
        using var scope = NewDisposeScope();
        // R = 90° about z: x → y, y → −x; t = (1, 2, 3).
        var r = tensor(new float[] { 0, -1, 0, 1, 0, 0, 0, 0, 1 }, [1, 3, 3]);
        var pose = HeadPose.FromRotationTranslation(r, tensor(new float[] { 1, 2, 3 }, [1, 3]));
        var points = tensor(new float[] { 1, 0, 0, 0, 1, 0, 2, 3, 4 }, [1, 3, 3]);
        RenderAssert.Close([1, 3, 3, 0, 2, 3, -2, 4, 7], HeadPose.TransformPoints(pose, points), 1e-6);
        RenderAssert.Close([0, 1, 0, -1, 0, 0, -3, 2, 4], HeadPose.TransformDirections(pose, points), 1e-6);
    }

    [Fact]
    public void TransformPoints_InverseUndoesPose()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var pose = HeadPose.LookAt(tensor(new[] { 0.7f, -0.2f }), tensor(new[] { 0.1f, 0.3f }), tensor(new[] { 0.5f, -0.4f }), 1.5);
        var points = randn(2, 5, 3);
        var back = HeadPose.TransformPoints(HeadPose.Inverse(pose), HeadPose.TransformPoints(pose, points));
        RenderAssert.Close(points, back, 1e-5);
    }

    private static Tensor eye(int batch) =>
        tensor(Enumerable.Repeat(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, batch).SelectMany(x => x).ToArray(), [batch, 3, 3]);

    private static Tensor eye4(int batch) =>
        tensor(Enumerable.Repeat(new float[] { 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1 }, batch).SelectMany(x => x).ToArray(), [batch, 4, 4]);

    private static Tensor Cross(Tensor a, Tensor b)
    {
        Tensor C(Tensor t, int i) => t.select(1, i);
        return stack([
            C(a, 1).mul(C(b, 2)).sub(C(a, 2).mul(C(b, 1))),
            C(a, 2).mul(C(b, 0)).sub(C(a, 0).mul(C(b, 2))),
            C(a, 0).mul(C(b, 1)).sub(C(a, 1).mul(C(b, 0))),
        ], 1);
    }
}
