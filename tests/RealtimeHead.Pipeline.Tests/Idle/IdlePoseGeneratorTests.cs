using RealtimeHead.Pipeline.Idle;

namespace RealtimeHead.Pipeline.Tests.Idle;

public sealed class IdlePoseGeneratorTests
{
    [Fact]
    public void PoseAt_SameSeed_SameMotion_DifferentSeed_Different()
    {
        var a = new IdlePoseGenerator(42, 2.5);
        var b = new IdlePoseGenerator(42, 2.5);
        var c = new IdlePoseGenerator(43, 2.5);

        Assert.Equal(a.PoseAt(123_456), b.PoseAt(123_456));
        Assert.NotEqual(a.PoseAt(123_456), c.PoseAt(123_456));
    }

    [Fact]
    public void PoseAt_TenMinutes_StaysWithinAmplitudeMovesAndIsSmooth()
    {
        var poses = new IdlePoseGenerator(7, 3);
        var limit = (float)(3 * Math.PI / 180);
        var maxStep = 0f;
        var previous = poses.PoseAt(0);
        var minYaw = float.MaxValue;
        var maxYaw = float.MinValue;
        for (long frame = 1; frame < 25 * 600; frame++)
        {
            var pose = poses.PoseAt(frame * 1920);
            Assert.InRange(pose.Yaw, -limit, limit);
            Assert.InRange(pose.Pitch, -limit * 0.7f, limit * 0.7f);
            Assert.InRange(pose.Roll, -limit * 0.4f, limit * 0.4f);
            maxStep = Math.Max(maxStep, Math.Abs(pose.Yaw - previous.Yaw));
            (minYaw, maxYaw) = (Math.Min(minYaw, pose.Yaw), Math.Max(maxYaw, pose.Yaw));
            previous = pose;
        }

        // At most 0.35 Hz: a frame moves the head by under 2π·0.35/25 of the amplitude.
        Assert.True(maxStep < limit * 2 * Math.PI * 0.35 / 25 * 1.01, $"step {maxStep}");
        Assert.True(maxYaw - minYaw > limit / 2, "the head should visibly move over ten minutes");
    }

    [Fact]
    public void PoseAt_ZeroAmplitude_IsFrontal() =>
        Assert.Equal(default, new IdlePoseGenerator(1, 0).PoseAt(999_999));
}
