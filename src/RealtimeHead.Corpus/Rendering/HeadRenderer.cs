using System.Numerics;
using RealtimeHead.Corpus.Animation;
using RealtimeHead.Imaging;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// CPU sphere tracer (Hart 1996) for <see cref="HeadScene"/>: one ray per pixel centre, tetrahedral-difference
/// normals, Lambert key light, hemispherical ambient with a two-tap occlusion estimate and Blinn-Phong
/// highlights, then sRGB-like gamma. Rows render in parallel; every pixel depends only on its own inputs, so
/// the output is identical for any thread count.
/// </summary>
internal sealed class HeadRenderer
{
    private const int MaxSteps = 110;
    private const float StepScale = 0.8f; // the warped and smooth-blended field is not exactly 1-Lipschitz

    /// <summary>How far before the nearest coarse neighbour's hit a refined ray starts (model units).</summary>
    private const float StartMargin = 0.04f;

    /// <summary>Coarse misses closer than this to the surface force a full march of their neighbours.</summary>
    private const float MissClearance = 0.012f;

    private readonly CameraRig rig;
    private readonly int size;

    public HeadRenderer(CameraRig rig, int size)
    {
        this.rig = rig;
        this.size = size;
    }

    /// <summary>Renders <paramref name="scene"/> under <paramref name="lighting"/>; <paramref name="backgroundSeed"/> varies the backdrop texture.</summary>
    /// <remarks>
    /// Two passes: rays through every other pixel of every other row are marched first; a pixel whose coarse
    /// neighbours all hit starts its march just before the nearest of their hits, and one whose neighbours all
    /// missed the scene by more than <see cref="MissClearance"/> (over twice the spacing of neighbouring rays)
    /// is background without marching. Everything else is marched in full. Cuts the marching cost about 2.5×.
    /// </remarks>
    public FrameRender Render(HeadScene scene, Lighting lighting, int backgroundSeed, int maxDegreeOfParallelism = -1)
    {
        var image = new RgbImage(size, size);
        var masks = new RgbImage(size, size);
        var cameraToModel = rig.CameraToModel(scene.State.Pose);
        var origin = Vector3.Transform(Vector3.Zero, cameraToModel);
        Matrix4x4.Invert(scene.HeadToRealTransform, out var realToHead);
        var light = Vector3.Normalize(Vector3.TransformNormal(lighting.Direction, realToHead));
        var up = Vector3.Normalize(Vector3.TransformNormal(Vector3.UnitY, realToHead));
        var intrinsics = rig.Intrinsics;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };

        Vector3 Ray(int u, int v) => SubRay(u, v, 0, 0);

        Vector3 SubRay(int u, int v, float du, float dv) => Vector3.Normalize(Vector3.TransformNormal(
            new Vector3((float)((u + 0.5 + du - intrinsics.Cx) / intrinsics.Fx), (float)((v + 0.5 + dv - intrinsics.Cy) / intrinsics.Fy), 1), cameraToModel));

        Vector3 Radiance(int u, int v, Vector3 dir, RayResult ray, out Material material)
        {
            if (!ray.Hit)
            {
                // The backdrop is painted directly in display values.
                material = Material.Background;
                var display = Background(scene.Identity, u, v, backgroundSeed);
                return new Vector3(MathF.Pow(display.X, 2.2f), MathF.Pow(display.Y, 2.2f), MathF.Pow(display.Z, 2.2f));
            }

            var point = origin + (dir * ray.T);
            _ = scene.Map(point, true, out material);
            return Shade(scene, point, dir, material, light, up, lighting);
        }

        var coarse = (size + 2) / 2;
        var coarseHits = new RayResult[coarse * coarse];
        Parallel.For(0, coarse, options, j =>
        {
            for (var i = 0; i < coarse; i++)
            {
                int u = Math.Min(2 * i, size - 1), v = Math.Min(2 * j, size - 1);
                coarseHits[(j * coarse) + i] = March(scene, origin, Ray(u, v), 0, float.MaxValue);
            }
        });

        Parallel.For(0, size, options, v =>
        {
            var row = image.Pixels.AsSpan(v * size * 3, size * 3);
            var maskRow = masks.Pixels.AsSpan(v * size * 3, size * 3);
            int j0 = v >> 1, j1 = Math.Min((v + 1) >> 1, coarse - 1);
            for (var u = 0; u < size; u++)
            {
                int i0 = u >> 1, i1 = Math.Min((u + 1) >> 1, coarse - 1);
                RayResult result;
                var edge = false;
                if ((u & 1) == 0 && (v & 1) == 0 && 2 * i0 < size && 2 * j0 < size)
                {
                    result = coarseHits[(j0 * coarse) + i0];
                }
                else
                {
                    var a = coarseHits[(j0 * coarse) + i0];
                    var b = coarseHits[(j0 * coarse) + i1];
                    var c = coarseHits[(j1 * coarse) + i0];
                    var d = coarseHits[(j1 * coarse) + i1];
                    if (a.Hit && b.Hit && c.Hit && d.Hit)
                    {
                        var start = MathF.Min(MathF.Min(a.T, b.T), MathF.Min(c.T, d.T)) - StartMargin;
                        result = March(scene, origin, Ray(u, v), start, float.MaxValue);
                    }
                    else if (!a.Hit && !b.Hit && !c.Hit && !d.Hit
                        && MathF.Min(MathF.Min(a.Clearance, b.Clearance), MathF.Min(c.Clearance, d.Clearance)) > MissClearance)
                    {
                        result = default;
                    }
                    else
                    {
                        result = March(scene, origin, Ray(u, v), 0, float.MaxValue);
                        edge = true;
                    }
                }

                var centreDir = Ray(u, v);
                var colour = Radiance(u, v, centreDir, result, out var material);
                if (result.Hit)
                {
                    var hit = origin + (centreDir * result.T);
                    var inner = IsInnerFace(scene, hit, material);
                    maskRow[(u * 3) + 0] = inner ? (byte)255 : (byte)0;
                    maskRow[(u * 3) + 1] = inner && hit.Y < scene.LowerFaceTop ? (byte)255 : (byte)0;
                    maskRow[(u * 3) + 2] = 255;
                }

                if (edge)
                {
                    // Silhouette pixels (coarse neighbours disagree): average four more rays on a rotated grid
                    // to anti-alias the outline. The masks keep the centre sample so they stay binary.
                    ReadOnlySpan<float> offsets = [-0.125f, -0.375f, 0.375f, -0.125f, 0.125f, 0.375f, -0.375f, 0.125f];
                    for (var k = 0; k < 8; k += 2)
                    {
                        var dir = SubRay(u, v, offsets[k], offsets[k + 1]);
                        colour += Radiance(u, v, dir, March(scene, origin, dir, 0, float.MaxValue), out _);
                    }

                    colour /= 5;
                }

                row[(u * 3) + 0] = ToByte(colour.X);
                row[(u * 3) + 1] = ToByte(colour.Y);
                row[(u * 3) + 2] = ToByte(colour.Z);
            }
        });

        return new FrameRender(image, masks);
    }

    /// <summary>
    /// The inner face: skin and features facing forward from <see cref="HeadScene.FaceCentre"/> (which leaves
    /// out ears, neck and the sides of the head) and below the top of the brows (which leaves out the forehead
    /// and hair).
    /// </summary>
    public static bool IsInnerFace(HeadScene scene, Vector3 p, Material material) =>
        material is Material.Skin or Material.Lip or Material.Teeth or Material.Tongue or Material.MouthInterior or Material.Eye or Material.Brow
        && p.Y <= scene.BrowTop + 0.004f
        && HeadScene.Forwardness(p) >= HeadScene.InnerFaceForwardness;

    /// <summary>Sphere-traces from <paramref name="origin"/> along <paramref name="dir"/>; false when the ray leaves the scene.</summary>
    public static bool Trace(HeadScene scene, Vector3 origin, Vector3 dir, out Vector3 hit)
    {
        var result = March(scene, origin, dir, 0, float.MaxValue);
        hit = origin + (dir * result.T);
        return result.Hit;
    }

    /// <summary>
    /// Marches from parameter <paramref name="start"/> within the scene bounds. Also returns the smallest
    /// distance seen on a miss (how closely the ray passed the surface).
    /// </summary>
    private static RayResult March(HeadScene scene, Vector3 origin, Vector3 dir, float start, float end)
    {
        // March only inside the bounds of the head (with hair and ears), the neck and the torso: rays that miss
        // all of them are background at once, and the march starts at the first bound.
        var t0 = float.MaxValue;
        var t1 = float.MinValue;
        Include(scene.HeadBound, origin, dir, ref t0, ref t1);
        Include(scene.NeckBound, origin, dir, ref t0, ref t1);
        Include(scene.TorsoBound, origin, dir, ref t0, ref t1);
        if (t0 > t1)
        {
            return new RayResult(false, 0, float.MaxValue);
        }

        var t = MathF.Max(MathF.Max(0, t0), start);
        t1 = MathF.Min(t1, end);
        var clearance = float.MaxValue;
        for (var i = 0; i < MaxSteps && t < t1; i++)
        {
            var d = scene.Distance(origin + (dir * t));
            if (d < 0.0003f * (1 + t))
            {
                return new RayResult(true, t, 0);
            }

            clearance = MathF.Min(clearance, d);
            t += d * StepScale;
        }

        return new RayResult(false, t, clearance);
    }

    private static void Include(BoundingSphere bound, Vector3 origin, Vector3 dir, ref float t0, ref float t1)
    {
        var oc = origin - bound.Centre;
        var b = Vector3.Dot(oc, dir);
        var disc = (b * b) - (oc.LengthSquared() - (bound.Radius * bound.Radius));
        if (disc < 0)
        {
            return;
        }

        var root = MathF.Sqrt(disc);
        t0 = MathF.Min(t0, -b - root);
        t1 = MathF.Max(t1, -b + root);
    }

    private static Vector3 Shade(HeadScene scene, Vector3 p, Vector3 dir, Material material, Vector3 light, Vector3 up, Lighting lighting)
    {
        var n = Normal(scene, p);
        var id = scene.Identity;
        var seed = id.TextureSeed;
        Vector3 albedo;
        float specular = 0.05f, shininess = 16;
        switch (material)
        {
            case Material.Skin:
                {
                    var blotch = Noise.Fbm(p * 22, seed, 3);
                    var pores = Noise.Value(p * 420, seed + 3);
                    albedo = id.SkinColor * (0.9f + (0.2f * blotch)) * (0.96f + (0.06f * pores));

                    // Flushed cheeks and a slightly redder nose tip.
                    var cheek = MathF.Exp(-(Square(MathF.Abs(p.X) - 0.065f) + Square(p.Y + 0.035f)) / 0.0009f);
                    var noseTip = MathF.Exp(-(p - scene.NoseTip).LengthSquared() / 0.0003f);
                    albedo *= Vector3.One + (new Vector3(0.06f, -0.05f, -0.04f) * (cheek + (0.6f * noseTip)));
                    specular = 0.07f + (0.05f * blotch);
                    shininess = 24;
                    break;
                }

            case Material.Lip:
                albedo = id.LipColor * (0.92f + (0.12f * Noise.Value(new Vector3(p.X * 900, p.Y * 90, p.Z * 90), seed + 5)));
                specular = 0.18f;
                shininess = 40;
                break;
            case Material.Teeth:
                albedo = new Vector3(0.86f, 0.84f, 0.76f);
                specular = 0.3f;
                shininess = 50;
                break;
            case Material.Tongue:
                albedo = new Vector3(0.62f, 0.26f, 0.27f);
                specular = 0.2f;
                break;
            case Material.MouthInterior:
                albedo = new Vector3(0.16f, 0.035f, 0.04f);
                specular = 0;
                break;
            case Material.Eye:
                albedo = EyeColour(scene, p);
                specular = 0.7f;
                shininess = 120;
                break;
            case Material.Brow:
                albedo = id.HairColor * (0.8f + (0.3f * Noise.Value(new Vector3(p.X * 600, p.Y * 200, p.Z * 600), seed + 11)));
                specular = 0.02f;
                break;
            case Material.Hair:
                {
                    // Strands run roughly top-to-bottom: stretch the noise along y.
                    var strands = Noise.Fbm(new Vector3(p.X * 260, p.Y * 40, p.Z * 260), seed + 13, 3);
                    var tint = Noise.Value(p * 9, seed + 17);
                    albedo = id.HairColor * (0.6f + (0.7f * strands)) * (0.9f + (0.2f * tint));
                    specular = 0.12f;
                    shininess = 30;
                    break;
                }

            case Material.Cloth:
                albedo = id.ClothColor * (0.9f + (0.15f * Noise.Fbm(p * 70, seed + 19, 2)));
                specular = 0.02f;
                break;
            default:
                albedo = new Vector3(1, 0, 1);
                break;
        }

        // Identity colours are display (sRGB-like) values; light in linear space.
        albedo = new Vector3(MathF.Pow(albedo.X, 2.2f), MathF.Pow(albedo.Y, 2.2f), MathF.Pow(albedo.Z, 2.2f));
        var occlusion = Occlusion(scene, p, n);
        var diffuse = MathF.Max(0, Vector3.Dot(n, light));
        var hemisphere = 0.6f + (0.4f * Vector3.Dot(n, up));
        var halfway = Vector3.Normalize(light - dir);
        var highlight = specular * MathF.Pow(MathF.Max(0, Vector3.Dot(n, halfway)), shininess) * (diffuse > 0 ? 1 : 0);
        var colour = (albedo * ((lighting.KeyColor * diffuse) + (lighting.Ambient * hemisphere * occlusion))) + (lighting.KeyColor * highlight);
        if (material == Material.MouthInterior)
        {
            colour *= 0.6f;
        }

        return colour;
    }

    private static Vector3 EyeColour(HeadScene scene, Vector3 p)
    {
        var centre = p.X < 0 ? scene.EyeLeft : scene.EyeRight;
        var cos = Vector3.Dot(Vector3.Normalize(p - centre), scene.Gaze);
        var sclera = new Vector3(0.86f, 0.84f, 0.8f);
        if (cos > 0.972f)
        {
            return new Vector3(0.02f);
        }

        if (cos > 0.87f)
        {
            var ring = Sdf.SmoothStep(0.89f, 0.87f, cos);
            var fibres = 0.8f + (0.4f * Noise.Value(p * 700, scene.Identity.TextureSeed + 23));
            return Vector3.Lerp(scene.Identity.IrisColor * fibres, scene.Identity.IrisColor * 0.35f, ring);
        }

        // Sclera darkens towards the corners.
        return sclera * (0.75f + (0.25f * Sdf.SmoothStep(0.3f, 0.7f, cos)));
    }

    private static Vector3 Normal(HeadScene scene, Vector3 p)
    {
        const float h = 0.0006f;
        var k0 = new Vector3(1, -1, -1);
        var k1 = new Vector3(-1, -1, 1);
        var k2 = new Vector3(-1, 1, -1);
        var k3 = new Vector3(1, 1, 1);
        var n = (k0 * scene.ExactDistance(p + (k0 * h))) + (k1 * scene.ExactDistance(p + (k1 * h))) + (k2 * scene.ExactDistance(p + (k2 * h))) + (k3 * scene.ExactDistance(p + (k3 * h)));
        return n.LengthSquared() < 1e-20f ? Vector3.UnitZ : Vector3.Normalize(n);
    }

    private static float Occlusion(HeadScene scene, Vector3 p, Vector3 n)
    {
        // One tap of the classic SDF occlusion estimate: how much closer than 2 cm the nearest surface is.
        var occ = 0.02f - scene.ExactDistance(p + (n * 0.02f));
        return Math.Clamp(1 - (occ * 30), 0.15f, 1);
    }

    private readonly record struct RayResult(bool Hit, float T, float Clearance);

    private Vector3 Background(HeadIdentity id, int u, int v, int seed)
    {
        var y = (v + 0.5f) / size;
        var x = (u + 0.5f) / size;
        var grain = Noise.Fbm(new Vector3(x * 5, y * 5, 0.5f), seed, 4);
        return Vector3.Lerp(id.BackgroundTop, id.BackgroundBottom, y) * (0.85f + (0.3f * grain));
    }

    private static byte ToByte(float linear)
    {
        var encoded = MathF.Pow(Math.Clamp(linear, 0, 1), 1 / 2.2f);
        return (byte)MathF.Round(encoded * 255);
    }

    private static float Square(float x) => x * x;
}
