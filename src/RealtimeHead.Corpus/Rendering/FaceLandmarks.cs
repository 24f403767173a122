using System.Numerics;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// The 68 facial landmarks of the iBUG 300-W layout (Sagonas et al. 2013), as 3D points on the rendered
/// surface. Indices (0-based): 0–16 jaw contour from the image-left side through the chin (8); 17–21 and
/// 22–26 brows (image left to right); 27–30 nose bridge to tip; 31–35 nostril base; 36–41 and 42–47 eyes
/// (each from its image-left corner, clockwise: two upper-lid points, other corner, two lower-lid points);
/// 48–59 outer lip contour from the image-left corner clockwise; 60–67 inner lip contour likewise.
/// </summary>
internal static class FaceLandmarks
{
    public const int Count = 68;

    /// <summary>Computes the landmark points of <paramref name="scene"/> in the model frame.</summary>
    public static Vector3[] Compute(HeadScene scene)
    {
        var points = new Vector3[Count];

        // Jaw contour: surface points along directions fanning from the face centre through the chin, with a
        // fixed forward component, so every contour point has the same forwardness (see HeadScene.Forwardness).
        for (var i = 0; i <= 16; i++)
        {
            var phi = (i - 8) / 8.0f * (MathF.PI / 2);
            var dir = Vector3.Normalize(new Vector3(MathF.Sin(phi), -MathF.Cos(phi), HeadScene.ContourForward));
            points[i] = SurfaceTowards(scene, HeadScene.FaceCentre, dir);
        }

        // Brows along their capsules: outer, between, arch, between, inner (image-left brow), mirrored on the right.
        for (var side = 0; side < 2; side++)
        {
            Vector3[] chain = [scene.BrowOuter[side], (scene.BrowOuter[side] + scene.BrowMid[side]) / 2, scene.BrowMid[side], (scene.BrowMid[side] + scene.BrowInner[side]) / 2, scene.BrowInner[side]];
            for (var k = 0; k < 5; k++)
            {
                var c = side == 0 ? chain[k] : chain[4 - k];
                points[17 + (side * 5) + k] = SurfaceAlongZ(scene, c.X, c.Y);
            }
        }

        // Nose bridge (27–30) from the root between the eyes to the tip.
        for (var k = 0; k < 4; k++)
        {
            var y = scene.NoseRoot.Y + ((scene.NoseTip.Y - scene.NoseRoot.Y) * k / 3);
            points[27 + k] = SurfaceAlongZ(scene, 0, y);
        }

        // Nostril base (31–35).
        var nw = scene.AlaRight.X;
        float[] baseX = [-nw * 1.05f, -nw * 0.55f, 0, nw * 0.55f, nw * 1.05f];
        for (var k = 0; k < 5; k++)
        {
            var y = scene.NoseBase + 0.004f - (MathF.Abs(baseX[k]) < 1e-6f ? 0.002f : 0);
            points[31 + k] = SurfaceAlongZ(scene, baseX[k], y);
        }

        // Eyes.
        EyePoints(scene, scene.EyeLeft, points.AsSpan(36, 6));
        EyePoints(scene, scene.EyeRight, points.AsSpan(42, 6));

        // Outer lips (48–59) and inner lips (60–67).
        var w = scene.MouthHalfWidth;
        var up = scene.UpperLipCentre;
        var lo = scene.LowerLipCentre;
        float UpperOuter(float x) => up.Y + (scene.UpperLipRadii.Y * 0.85f * Cap(x / scene.UpperLipRadii.X));
        float LowerOuter(float x) => lo.Y - (scene.LowerLipRadii.Y * 0.85f * Cap(x / scene.LowerLipRadii.X));
        float UpperInner(float x) => up.Y - (scene.UpperLipRadii.Y * 0.8f * Cap(x / scene.UpperLipRadii.X));
        float LowerInner(float x) => lo.Y + (scene.LowerLipRadii.Y * 0.8f * Cap(x / scene.LowerLipRadii.X));

        points[48] = SurfaceAlongZ(scene, -w * 0.97f, (scene.UpperGap + scene.LowerGap) / 2);
        float[] upperX = [-0.62f, -0.27f, 0, 0.27f, 0.62f];
        for (var k = 0; k < 5; k++)
        {
            points[49 + k] = SurfaceAlongZ(scene, upperX[k] * w, UpperOuter(upperX[k] * w));
        }

        points[54] = SurfaceAlongZ(scene, w * 0.97f, (scene.UpperGap + scene.LowerGap) / 2);
        float[] lowerX = [0.62f, 0.27f, 0, -0.27f, -0.62f];
        for (var k = 0; k < 5; k++)
        {
            points[55 + k] = SurfaceAlongZ(scene, lowerX[k] * w, LowerOuter(lowerX[k] * w));
        }

        points[60] = SurfaceAlongZ(scene, -w * 0.8f, (scene.UpperGap + scene.LowerGap) / 2);
        float[] innerX = [-0.35f, 0, 0.35f];
        for (var k = 0; k < 3; k++)
        {
            points[61 + k] = SurfaceAlongZ(scene, innerX[k] * w, UpperInner(innerX[k] * w));
        }

        points[64] = SurfaceAlongZ(scene, w * 0.8f, (scene.UpperGap + scene.LowerGap) / 2);
        for (var k = 0; k < 3; k++)
        {
            points[65 + k] = SurfaceAlongZ(scene, -innerX[k] * w, LowerInner(-innerX[k] * w));
        }

        return points;
    }

    private static float Cap(float u) => MathF.Sqrt(MathF.Max(0, 1 - (u * u)));

    private static void EyePoints(HeadScene scene, Vector3 eye, Span<Vector3> six)
    {
        var r = scene.EyeRadius;
        var upper = MathF.Max(scene.UpperLidEdge, scene.LowerLidEdge + (0.05f * r));
        var lower = scene.LowerLidEdge;
        var corner = (upper + lower) / 2;
        six[0] = SurfaceAlongZ(scene, eye.X - (0.9f * r), corner);
        six[1] = SurfaceAlongZ(scene, eye.X - (0.35f * r), upper);
        six[2] = SurfaceAlongZ(scene, eye.X + (0.35f * r), upper);
        six[3] = SurfaceAlongZ(scene, eye.X + (0.9f * r), corner);
        six[4] = SurfaceAlongZ(scene, eye.X + (0.35f * r), lower);
        six[5] = SurfaceAlongZ(scene, eye.X - (0.35f * r), lower);
    }

    /// <summary>The first surface point a ray along −z through (x, y) meets, starting in front of the face.</summary>
    public static Vector3 SurfaceAlongZ(HeadScene scene, float x, float y)
    {
        var p = new Vector3(x, y, 0.45f);
        for (var i = 0; i < 400; i++)
        {
            var d = scene.ExactDistance(p);
            if (d < 0.0001f)
            {
                break;
            }

            p.Z -= d * 0.8f;
        }

        return p;
    }

    /// <summary>The outermost surface point on the ray from <paramref name="centre"/> along <paramref name="dir"/>.</summary>
    private static Vector3 SurfaceTowards(HeadScene scene, Vector3 centre, Vector3 dir)
    {
        var t = 0.5f;
        for (var i = 0; i < 400; i++)
        {
            var d = scene.ExactDistance(centre + (dir * t));
            if (d < 0.0001f)
            {
                break;
            }

            t -= d * 0.8f;
        }

        return centre + (dir * t);
    }
}
