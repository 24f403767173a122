using RealtimeHead.Corpus.Animation;

namespace RealtimeHead.Corpus.Tests.Animation;

public sealed class MotionGeneratorTests
{
    [Fact]
    public void Blinks_TwentySeconds_SeveralFullBlinksInRange()
    {
        var blinks = new MotionGenerator(1).Blinks(500, 25);

        Assert.All(blinks, b => Assert.InRange(b, 0, 1));
        var closedRuns = blinks.Zip(blinks.Skip(1)).Count(p => p.First < 0.5 && p.Second >= 0.5);
        Assert.InRange(closedRuns, 3, 10);
    }

    [Fact]
    public void Poses_SmallAndSmooth()
    {
        var poses = new MotionGenerator(2).Poses(250, 25, new double[250]);

        Assert.All(poses, p => Assert.InRange(Math.Abs(p.Yaw), 0, 0.35));
        var maxStep = poses.Zip(poses.Skip(1)).Max(p => Math.Abs(p.Second.Yaw - p.First.Yaw));
        Assert.True(maxStep < 0.02, $"yaw step {maxStep:F3} rad per frame");
    }

    [Fact]
    public void Poses_ZeroScale_Frontal()
    {
        var poses = new MotionGenerator(3) { MotionScale = 0 }.Poses(10, 25, new double[10]);
        Assert.All(poses, p => Assert.Equal(default, p));
    }

    [Fact]
    public void SameSeed_SameMotion()
    {
        Assert.Equal(new MotionGenerator(9).Blinks(200, 25), new MotionGenerator(9).Blinks(200, 25));
        Assert.NotEqual(new MotionGenerator(9).Blinks(200, 25), new MotionGenerator(10).Blinks(200, 25));
    }
}
