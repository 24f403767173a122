using System.Numerics;
using RealtimeHead.Corpus.Animation;
using RealtimeHead.Corpus.Rendering;

namespace RealtimeHead.Corpus.Tests.Rendering;

public sealed class HeadRenderingTests
{
    private const int Size = 128;

    private static FaceState State(double jaw, HeadPose pose = default, double blink = 0) =>
        new(new MouthShape(jaw, 0.2, 0, 0), blink, 0, 0, pose);

    private static (HeadScene Scene, CameraRig Rig) Scene(int identity, FaceState state) =>
        (new HeadScene(HeadIdentity.Create(identity, 5), state), new CameraRig(Size, 1.5, 1.5));

    [Fact]
    public void CameraToWorld_FrontalPose_IsTranslationAlongMinusZ()
    {
        var rig = new CameraRig(Size, 1.5, 1.5);
        var m = rig.CameraToWorld(default);

        double[] expected = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, -1.5, 0, 0, 0, 1];
        Assert.Equal(expected, m.Select(v => Math.Round(v, 5)).ToArray());
    }

    [Fact]
    public void CameraToWorld_Yaw_IsRigidAndKeepsDistance()
    {
        var rig = new CameraRig(Size, 1.5, 1.5);
        var m = rig.CameraToWorld(new HeadPose(0.3, 0.1, -0.05, 0, 0, 0));

        var r = new[,] { { m[0], m[1], m[2] }, { m[4], m[5], m[6] }, { m[8], m[9], m[10] } };
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                var dot = (r[0, i] * r[0, j]) + (r[1, i] * r[1, j]) + (r[2, i] * r[2, j]);
                Assert.Equal(i == j ? 1 : 0, dot, 4);
            }
        }

        // The camera looks at the head: its optical axis (third column) points from its centre towards the origin.
        var centre = new Vector3((float)m[3], (float)m[7], (float)m[11]);
        var axis = new Vector3((float)m[2], (float)m[6], (float)m[10]);
        Assert.True(Vector3.Dot(Vector3.Normalize(-centre), axis) > 0.95f);
    }

    [Fact]
    public void Landmarks_MouthHeightGrowsMonotonicallyWithJawOpen()
    {
        double previousInner = -1, previousOuter = -1;
        for (var jaw = 0.0; jaw <= 1.0001; jaw += 0.125)
        {
            var (scene, rig) = Scene(1, State(jaw));
            var points = CorpusGenerator.ProjectLandmarks(rig, scene);
            var inner = points[66][1] - points[62][1];
            var outer = points[57][1] - points[51][1];

            Assert.True(inner > previousInner, $"inner mouth height {inner:F2} px at jaw {jaw} (previous {previousInner:F2})");
            Assert.True(outer > previousOuter, $"outer mouth height {outer:F2} px at jaw {jaw} (previous {previousOuter:F2})");
            previousInner = inner;
            previousOuter = outer;
        }
    }

    [Theory]
    [InlineData(0, 0.0, 0.0, 0.0)]
    [InlineData(1, 0.7, 0.15, 0.0)]
    [InlineData(2, 0.3, -0.2, 0.08)]
    [InlineData(3, 1.0, 0.0, -0.1)]
    public void Landmarks_LieInsideTheRenderedMasks(int identity, double jaw, double yaw, double pitch)
    {
        var (scene, rig) = Scene(identity, State(jaw, new HeadPose(yaw, pitch, 0.03, 0, 0, 0)));
        var render = new HeadRenderer(rig, Size).Render(scene, default(Lighting) with { Direction = Vector3.UnitZ, KeyColor = Vector3.One }, 1);
        var points = CorpusGenerator.ProjectLandmarks(rig, scene);

        bool InMask(double x, double y, int channel)
        {
            // Allow the 3x3 neighbourhood: landmarks on the mask border (the jaw contour) may fall on the next pixel.
            for (var dy = -1; dy <= 1; dy++)
            {
                for (var dx = -1; dx <= 1; dx++)
                {
                    int u = (int)Math.Floor(x) + dx, v = (int)Math.Floor(y) + dy;
                    if (u >= 0 && v >= 0 && u < Size && v < Size && render.Masks.Pixels[(((v * Size) + u) * 3) + channel] == 255)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        var outsideInner = Enumerable.Range(0, 68).Where(i => !InMask(points[i][0], points[i][1], 0)).ToList();
        var outsideLower = Enumerable.Range(48, 20).Where(i => !InMask(points[i][0], points[i][1], 1)).ToList();
        Assert.Empty(outsideInner);
        Assert.Empty(outsideLower);
    }

    [Fact]
    public void Masks_LowerFaceInsideInnerFaceInsidePerson()
    {
        var (scene, rig) = Scene(4, State(0.5));
        var masks = new HeadRenderer(rig, Size).Render(scene, Lighting.Create(new Random(1)), 1).Masks.Pixels;

        int inner = 0, lower = 0;
        for (var i = 0; i < masks.Length; i += 3)
        {
            Assert.True(masks[i + 1] == 0 || masks[i] == 255, "lower face only inside the inner face");
            Assert.True(masks[i] == 0 || masks[i + 2] == 255, "inner face only on the person");
            inner += masks[i] == 255 ? 1 : 0;
            lower += masks[i + 1] == 255 ? 1 : 0;
        }

        Assert.InRange(inner, Size * Size / 20, Size * Size / 2);
        Assert.InRange(lower, inner / 5, inner * 3 / 4);
    }

    [Fact]
    public void Render_OpenMouth_ShowsDarkCavityBetweenTheLips()
    {
        var (closed, rig) = Scene(2, State(0));
        var (open, _) = Scene(2, State(1));
        var renderer = new HeadRenderer(rig, Size);
        var light = Lighting.Create(new Random(3));

        double Luma(HeadScene scene)
        {
            var image = renderer.Render(scene, light, 1).Image;
            var mouth = CorpusGenerator.ProjectLandmarks(rig, scene);
            var x = (int)((mouth[62][0] + mouth[66][0]) / 2);
            var y = (int)((mouth[62][1] + mouth[66][1]) / 2);
            var i = ((y * Size) + x) * 3;
            return (0.3 * image.Pixels[i]) + (0.59 * image.Pixels[i + 1]) + (0.11 * image.Pixels[i + 2]);
        }

        var closedLuma = Luma(closed);
        var openLuma = Luma(open);
        Assert.True(openLuma < closedLuma * 0.6, $"open {openLuma:F0} vs closed {closedLuma:F0}");
    }

    [Fact]
    public void Render_SingleThreadAndParallel_IdenticalBytes()
    {
        var (scene, rig) = Scene(6, State(0.4, new HeadPose(0.1, 0, 0, 0, 0, 0)));
        var renderer = new HeadRenderer(rig, 64);
        var light = Lighting.Create(new Random(2));

        var one = renderer.Render(scene, light, 3, maxDegreeOfParallelism: 1);
        var many = renderer.Render(scene, light, 3, maxDegreeOfParallelism: 4);

        Assert.Equal(one.Image.Pixels, many.Image.Pixels);
        Assert.Equal(one.Masks.Pixels, many.Masks.Pixels);
    }

    [Fact]
    public void Blink_ClosedEyes_HideTheEyeball()
    {
        var (open, rig) = Scene(1, State(0, blink: 0));
        var (shut, _) = Scene(1, State(0, blink: 1));

        var openLandmarks = CorpusGenerator.ProjectLandmarks(rig, open);
        var shutLandmarks = CorpusGenerator.ProjectLandmarks(rig, shut);

        // Eye opening: lower lid (41) minus upper lid (37) in image y.
        Assert.True(openLandmarks[41][1] - openLandmarks[37][1] > 2, "open eye has a visible aperture");
        Assert.True(shutLandmarks[41][1] - shutLandmarks[37][1] < 0.5, "closed eye has none");
    }

    [Fact]
    public void Identity_SameSeed_Same_DifferentIdOrSeed_Different()
    {
        Assert.Equal(HeadIdentity.Create(3, 9), HeadIdentity.Create(3, 9));
        Assert.NotEqual(HeadIdentity.Create(3, 9), HeadIdentity.Create(4, 9));
        Assert.NotEqual(HeadIdentity.Create(3, 9), HeadIdentity.Create(3, 10));
    }
}
