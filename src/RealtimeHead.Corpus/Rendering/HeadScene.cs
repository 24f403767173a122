using System.Numerics;
using RealtimeHead.Corpus.Animation;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// The signed distance field of one identity in one <see cref="FaceState"/>, in the model frame (x image
/// right, y up, z towards the camera; head centre at the origin). The head, hair, neck and face features
/// move with the head; the torso stays in the real (camera-fixed) frame and is reached through the head pose.
/// </summary>
internal sealed class HeadScene
{
    /// <summary>Distance beyond which the fine features (eyes, nose, lips, ears, brows) cannot matter.</summary>
    private const float DetailMargin = 0.06f;

    /// <summary>Smallest step the far-field shortcut returns (see <see cref="Map"/>).</summary>
    private const float FeatureClearance = 0.012f;

    private static readonly Vector3 CraniumCentre = new(0, 0.035f, -0.015f);
    private static readonly Vector3 JawCentre = new(0, -0.06f, 0.02f);
    private static readonly Vector3 TorsoCentre = new(0, -0.55f, -0.07f);
    private static readonly Vector3 TorsoRadii = new(0.36f, 0.25f, 0.16f);

    /// <summary>Origin of the forwardness measure that bounds the inner face (see <see cref="Forwardness"/>).</summary>
    public static readonly Vector3 FaceCentre = new(0, -0.01f, -0.02f);

    private readonly HeadIdentity id;
    private readonly Matrix4x4 headToReal;
    private readonly Vector3 chinCentre;
    private readonly Vector3 chinRadii;
    private readonly float jawDrop;

    public HeadScene(HeadIdentity identity, FaceState state)
    {
        id = identity;
        State = state;
        headToReal = HeadToReal(state.Pose);
        Matrix4x4.Invert(headToReal, out var realToHead);
        TorsoBound = new BoundingSphere(Vector3.Transform(TorsoCentre, realToHead), TorsoRadii.X + 0.02f);
        chinCentre = new Vector3(0, -0.15f - identity.ChinLength, 0.065f);
        chinRadii = new Vector3(0.036f, 0.032f, 0.038f);

        // Feature anchors sit on the undeformed base surface so every identity gets eyes in its own face.
        EyeRadius = identity.EyeRadius;
        var eyeY = identity.EyeHeight;
        var eyeZ = BaseSurfaceZ(identity.EyeSpacing, eyeY) - (EyeRadius * 0.72f);
        EyeLeft = new Vector3(-identity.EyeSpacing, eyeY, eyeZ);   // image left = the subject's right eye
        EyeRight = new Vector3(identity.EyeSpacing, eyeY, eyeZ);

        var blink = (float)Math.Clamp(state.Blink, 0, 1);
        UpperLidEdge = eyeY + (EyeRadius * (0.4f - (1.4f * blink)));
        LowerLidEdge = eyeY - (EyeRadius * 0.4f);
        Gaze = Vector3.Normalize(new Vector3((float)state.GazeX * 0.35f, (float)state.GazeY * 0.35f, 1));

        var browY = eyeY + 0.033f;
        BrowTop = browY + identity.BrowArch + 0.01f;
        NoseRoot = new Vector3(0, eyeY + 0.004f, BaseSurfaceZ(0, eyeY + 0.004f) + 0.002f);
        var tipY = eyeY - identity.NoseLength + 0.01f;
        NoseTip = new Vector3(0, tipY, BaseSurfaceZ(0, tipY) + identity.NoseProjection);
        NoseBase = eyeY - identity.NoseLength - 0.004f;
        AlaY = eyeY - identity.NoseLength + 0.004f;
        AlaLeft = new Vector3(-identity.NoseWidth, AlaY, BaseSurfaceZ(identity.NoseWidth, AlaY) + 0.006f);
        AlaRight = AlaLeft with { X = identity.NoseWidth };
        BrowInner = [new Vector3(-(identity.EyeSpacing - 0.016f), browY + 0.002f, 0), new Vector3(identity.EyeSpacing - 0.016f, browY + 0.002f, 0)];
        BrowMid = [new Vector3(-(identity.EyeSpacing + 0.006f), browY + identity.BrowArch + 0.003f, 0), new Vector3(identity.EyeSpacing + 0.006f, browY + identity.BrowArch + 0.003f, 0)];
        BrowOuter = [new Vector3(-(identity.EyeSpacing + 0.03f), browY - 0.004f, 0), new Vector3(identity.EyeSpacing + 0.03f, browY - 0.004f, 0)];
        for (var i = 0; i < 2; i++)
        {
            BrowInner[i].Z = BaseSurfaceZ(BrowInner[i].X, BrowInner[i].Y) + 0.002f;
            BrowMid[i].Z = BaseSurfaceZ(BrowMid[i].X, BrowMid[i].Y) + 0.002f;
            BrowOuter[i].Z = BaseSurfaceZ(BrowOuter[i].X, BrowOuter[i].Y) + 0.001f;
        }

        var mouth = state.Mouth;
        MouthY = NoseBase - 0.028f;
        MouthZ = BaseSurfaceZ(0, MouthY);
        Opening = (float)(Math.Clamp(mouth.JawOpen, 0, 1) * 0.048 * (1 - Math.Clamp(mouth.LipPress, 0, 1)));
        jawDrop = (float)(Math.Clamp(mouth.JawOpen, 0, 1) * 0.032);
        // The upper lip barely moves; the lower lip follows the jaw (a quarter / three quarters of the gap).
        UpperGap = MouthY + (Opening * 0.25f);
        LowerGap = MouthY - (Opening * 0.75f);
        MouthHalfWidth = identity.MouthWidth * (float)(1 + (0.16 * mouth.LipWidth) - (0.3 * mouth.Rounding));
        Protrusion = (float)(0.002 + (0.012 * mouth.Rounding));
        var tU = identity.UpperLipThickness * (float)(1 + (0.25 * mouth.Rounding));
        var tL = identity.LowerLipThickness * (float)(1 + (0.2 * mouth.Rounding));
        UpperLipCentre = new Vector3(0, UpperGap + tU, MouthZ + Protrusion - 0.004f);
        UpperLipRadii = new Vector3(MouthHalfWidth, tU, 0.015f + (0.004f * (float)mouth.Rounding));
        LowerLipCentre = new Vector3(0, LowerGap - tL, MouthZ + Protrusion - 0.006f);
        LowerLipRadii = new Vector3(MouthHalfWidth * 0.93f, tL, 0.015f + (0.004f * (float)mouth.Rounding));
        EarLeft = new Vector3(-(identity.CraniumRadii.X * 0.96f), eyeY - 0.012f, -0.025f);
        EarRight = EarLeft with { X = -EarLeft.X };
    }

    public FaceState State { get; }

    public HeadIdentity Identity => id;

    public float EyeRadius { get; }

    public Vector3 EyeLeft { get; }

    public Vector3 EyeRight { get; }

    public float UpperLidEdge { get; }

    public float LowerLidEdge { get; }

    public Vector3 Gaze { get; }

    public float BrowTop { get; }

    public Vector3[] BrowInner { get; }

    public Vector3[] BrowMid { get; }

    public Vector3[] BrowOuter { get; }

    public Vector3 NoseRoot { get; }

    public Vector3 NoseTip { get; }

    /// <summary>Height of the subnasale (nose base): the top of the lower-face region.</summary>
    public float NoseBase { get; }

    public float AlaY { get; }

    public Vector3 AlaLeft { get; }

    public Vector3 AlaRight { get; }

    public float MouthY { get; }

    public float MouthZ { get; }

    /// <summary>Vertical gap between the lips.</summary>
    public float Opening { get; }

    /// <summary>Height of the upper lip's lower edge.</summary>
    public float UpperGap { get; }

    /// <summary>Height of the lower lip's upper edge.</summary>
    public float LowerGap { get; }

    /// <summary>Top of the lower-face (audio-driven) region: the level of the nostril wings.</summary>
    public float LowerFaceTop => AlaY;

    public float MouthHalfWidth { get; }

    public float Protrusion { get; }

    public Vector3 UpperLipCentre { get; }

    public Vector3 UpperLipRadii { get; }

    public Vector3 LowerLipCentre { get; }

    public Vector3 LowerLipRadii { get; }

    public Vector3 EarLeft { get; }

    public Vector3 EarRight { get; }

    /// <summary>Encloses skull, hair (long styles included), ears, nose and the open jaw.</summary>
    public BoundingSphere HeadBound => new(new Vector3(0, -0.02f, 0), 0.37f);

    /// <summary>Encloses the neck capsule.</summary>
    public BoundingSphere NeckBound => new(new Vector3(0, -0.22f, -0.045f), 0.19f);

    /// <summary>Encloses the torso ellipsoid (fixed in the real frame, so its centre follows the inverse head pose).</summary>
    public BoundingSphere TorsoBound { get; private set; }

    /// <summary>Head-to-real transform in the model frame (row-vector convention of System.Numerics).</summary>
    public Matrix4x4 HeadToRealTransform => headToReal;

    /// <summary>
    /// Rigid head transform: rotation about the neck pivot (yaw about y, pitch about x, roll about z), then the
    /// translation. Positive yaw turns the face to the image right, positive pitch lowers the chin, positive
    /// roll tilts the top of the head to the image right.
    /// </summary>
    public static Matrix4x4 HeadToReal(HeadPose pose)
    {
        var pivot = new Vector3(0, -0.12f, -0.03f);
        var yaw = Matrix4x4.CreateRotationY((float)pose.Yaw);
        var pitch = Matrix4x4.CreateRotationX((float)pose.Pitch);
        var roll = Matrix4x4.CreateRotationZ(-(float)pose.Roll);
        return Matrix4x4.CreateTranslation(-pivot) * roll * pitch * yaw * Matrix4x4.CreateTranslation(pivot + new Vector3((float)pose.X, (float)pose.Y, (float)pose.Z));
    }

    /// <summary>
    /// Cosine between the model's forward axis and the direction from <see cref="FaceCentre"/>: the inner face is
    /// where this is at least <see cref="InnerFaceForwardness"/>.
    /// </summary>
    public static float Forwardness(Vector3 p)
    {
        var v = p - FaceCentre;
        var length = v.Length();
        return length < 1e-6f ? 1 : v.Z / length;
    }

    /// <summary>Forward component of the jaw-contour directions (landmarks 0–16): d = normalize(sin φ, −cos φ, 0.8).</summary>
    public const float ContourForward = 0.8f;

    /// <summary>Forwardness threshold of the inner-face region: slightly wider than the jaw contour.</summary>
    public static readonly float InnerFaceForwardness = (ContourForward / MathF.Sqrt(1 + (ContourForward * ContourForward))) - 0.04f;

    /// <summary>
    /// Signed distance at <paramref name="p"/> (model frame). Far from the head this is a cheaper lower bound
    /// (enough for marching); <see cref="ExactDistance"/> is continuous everywhere (for normals and occlusion).
    /// </summary>
    public float Distance(Vector3 p) => Map(p, false, out _);

    /// <summary>The full field without the far-field shortcut.</summary>
    public float ExactDistance(Vector3 p) => Map(p, true, out _);

    /// <summary>Signed distance and the material of the nearest part.</summary>
    public float Map(Vector3 p, bool wantMaterial, out Material material)
    {
        material = Material.Skin;

        // Torso lives in the real frame; everything else moves with the head.
        var real = Vector3.Transform(p, headToReal);
        var torso = Sdf.Ellipsoid(real - TorsoCentre, TorsoRadii);
        var neck = Sdf.Capsule(p, new Vector3(0, -0.08f, -0.035f), new Vector3(0, -0.36f, -0.055f), 0.062f * (id.CraniumRadii.X / 0.15f));
        var body = Sdf.SmoothMin(neck, torso, 0.05f);

        var skull = Sdf.Ellipsoid(p - CraniumCentre, id.CraniumRadii);
        var hair = HairDistance(p, skull);
        var roughHead = MathF.Min(skull, Sdf.Ellipsoid(p - JawCentre, id.JawRadii + new Vector3(0.01f, 0.06f, 0.03f)));
        var rough = MathF.Min(MathF.Min(roughHead, hair), body);
        if (!wantMaterial && rough > DetailMargin)
        {
            // Features stick out of the rough bound by at most DetailMargin − FeatureClearance, so this stays a
            // lower bound while never dropping below FeatureClearance: the tracer cannot converge onto the bound.
            return rough - DetailMargin + FeatureClearance;
        }

        var face = FaceDistance(p, skull, wantMaterial, out var faceMaterial);
        var d = Sdf.SmoothMin(face, body, 0.035f);
        material = faceMaterial;
        if (wantMaterial && body < face)
        {
            material = torso < neck - 0.005f ? Material.Cloth : Material.Skin;
        }

        if (hair < d)
        {
            d = hair;
            material = Material.Hair;
        }

        return d;
    }

    private float HairDistance(Vector3 p, float skull)
    {
        var volume = id.HairStyle switch
        {
            1 => id.HairVolume * 1.6f,
            3 => 0.004f,
            _ => id.HairVolume,
        };
        var shell = Sdf.Ellipsoid(p - CraniumCentre - new Vector3(0, volume * 0.5f, -volume * 0.75f), id.CraniumRadii + new Vector3(volume * 0.9f, volume, volume));
        if (shell > DetailMargin)
        {
            return shell;
        }

        // The hairline: high at the forehead, sloping down towards the nape; receding styles sit higher.
        var line = id.EyeHeight + id.Hairline + (id.HairStyle == 3 ? 0.03f : 0);
        var above = p.Y - line - (0.55f * (p.Z - 0.15f)) + (0.6f * p.X * p.X);
        var hair = -Sdf.SmoothMin(-shell, above * 0.8f, 0.012f);
        if (id.HairStyle == 2)
        {
            var back = Sdf.Ellipsoid(p - new Vector3(0, -0.09f, -0.095f), new Vector3(id.CraniumRadii.X + 0.02f, 0.2f, 0.085f));
            hair = Sdf.SmoothMin(hair, MathF.Max(back, p.Z + 0.02f), 0.03f);
        }

        // Hair strands: a little relief so the silhouette is not a perfect ellipsoid (only where it can show).
        return hair > 0.01f ? hair - 0.003f : hair - (0.003f * Noise.Value(p * 60, id.TextureSeed + 7));
    }

    private float FaceDistance(Vector3 p, float skull, bool wantMaterial, out Material material)
    {
        material = Material.Skin;

        // Jaw opening: the lower face below the mouth line slides down, fading out towards the back of the head.
        var lower = Sdf.SmoothStep(MouthY + 0.004f, MouthY - 0.028f, p.Y) * Sdf.SmoothStep(-0.09f, 0.02f, p.Z);
        var q = p + new Vector3(0, jawDrop * lower, 0);
        var jawP = q - JawCentre;
        var jaw = JawDistance(jawP);

        var chin = Sdf.Ellipsoid(q - chinCentre, chinRadii);
        var head = Sdf.SmoothMin(Sdf.SmoothMin(skull, jaw, 0.06f), chin, 0.03f);

        // Ears, with a concave bowl facing sideways.
        var ears = MathF.Min(Ear(p, EarLeft, -1), Ear(p, EarRight, 1));
        head = Sdf.SmoothMin(head, ears, 0.01f);

        // Each feature group below is skipped when p is clearly outside its bound: a union cannot lower the field
        // there and a subtraction cannot change it. This keeps marching cheap away from the features.
        var eyeBound = MathF.Min(Sdf.Sphere(p - EyeLeft, EyeRadius * 1.3f), Sdf.Sphere(p - EyeRight, EyeRadius * 1.3f));
        var nearEyes = eyeBound < 0.03f;
        var nearBrows = MathF.Abs(p.Y - BrowMid[0].Y) < 0.07f && p.Z > -0.01f;

        // Brow ridge: a soft bulge above the eyes.
        if (nearBrows)
        {
            var ridge = Sdf.Capsule(p, BrowOuter[0] - new Vector3(0, 0.008f, 0.012f), BrowOuter[1] - new Vector3(0, 0.008f, 0.012f), 0.012f);
            head = Sdf.SmoothMin(head, ridge, 0.02f);
        }

        // Eye sockets (eyeballs and lids are added below).
        if (nearEyes)
        {
            head = Sdf.SmoothSubtract(head, eyeBound, 0.012f);
        }

        // Nose: bridge, tip, alae.
        if (Sdf.Capsule(p, NoseRoot, NoseTip, 0.03f) < 0.03f)
        {
            var nose = Sdf.Capsule(p, NoseRoot, NoseTip - new Vector3(0, 0.004f, 0.008f), 0.0095f);
            nose = Sdf.SmoothMin(nose, Sdf.Sphere(p - NoseTip, 0.0135f), 0.012f);
            nose = Sdf.SmoothMin(nose, MathF.Min(Sdf.Sphere(p - AlaLeft, 0.0105f), Sdf.Sphere(p - AlaRight, 0.0105f)), 0.012f);
            head = Sdf.SmoothMin(head, nose, 0.014f);
        }

        var skin = head;
        var d = head;

        // Mouth: a cavity cut into the face, lips above and below it, teeth and tongue inside.
        var mouthBound = Sdf.Ellipsoid(p - new Vector3(0, MouthY - (jawDrop * 0.5f), MouthZ - 0.015f), new Vector3(MouthHalfWidth + 0.02f, 0.035f + Opening + jawDrop, 0.065f));
        if (mouthBound < 0.02f)
        {
            var cavityCentre = new Vector3(0, ((UpperGap + LowerGap) / 2) - (jawDrop * 0.3f), MouthZ - 0.028f);
            var cavity = Sdf.Ellipsoid(p - cavityCentre, new Vector3(MouthHalfWidth * 0.86f, (Opening / 2) + 0.0015f + (jawDrop * 0.3f), 0.042f));
            var carved = Sdf.SmoothSubtract(head, cavity, 0.004f);
            var lips = MathF.Min(Sdf.Ellipsoid(p - UpperLipCentre, UpperLipRadii), Sdf.Ellipsoid(p - LowerLipCentre, LowerLipRadii));
            var withLips = Sdf.SmoothMin(carved, lips, 0.008f);
            var teethUpper = Sdf.RoundBox(p - new Vector3(0, UpperGap - 0.0035f, MouthZ - 0.011f), new Vector3(MouthHalfWidth * 0.72f, 0.0055f, 0.006f), 0.0025f);
            var teethLower = Sdf.RoundBox(p - new Vector3(0, LowerGap + 0.003f, MouthZ - 0.014f), new Vector3(MouthHalfWidth * 0.62f, 0.0045f, 0.0055f), 0.0025f);
            var teeth = MathF.Min(teethUpper, teethLower);
            var tongue = Sdf.Ellipsoid(p - new Vector3(0, LowerGap - 0.006f - (jawDrop * 0.3f), MouthZ - 0.032f), new Vector3(MouthHalfWidth * 0.7f, 0.011f, 0.026f));
            d = MathF.Min(withLips, MathF.Min(teeth, tongue));
            skin = carved;

            if (wantMaterial)
            {
                if (lips < 0.0015f && lips <= carved + 0.0015f)
                {
                    material = Material.Lip;
                }
                else if (cavity > -0.0035f && cavity < 0.004f && head < -0.001f)
                {
                    material = Material.MouthInterior;
                }

                var nearest = withLips;
                if (teeth <= nearest)
                {
                    material = Material.Teeth;
                    nearest = teeth;
                }

                if (tongue < nearest)
                {
                    material = Material.Tongue;
                }
            }
        }

        // Eyeballs and lids.
        if (nearEyes)
        {
            var eyes = MathF.Min(Sdf.Sphere(p - EyeLeft, EyeRadius), Sdf.Sphere(p - EyeRight, EyeRadius));
            var lids = MathF.Min(Lid(p, EyeLeft), Lid(p, EyeRight));
            d = Sdf.SmoothMin(MathF.Min(d, eyes), lids, 0.004f);
            if (wantMaterial && eyes < lids && eyes < skin + 0.0005f)
            {
                material = Material.Eye;
            }
        }

        // Brows: two capsules each, raised slightly off the skin.
        if (nearBrows)
        {
            var brows = MathF.Min(Brow(p, 0), Brow(p, 1));
            d = MathF.Min(d, brows);
            if (wantMaterial && brows <= d + 0.0005f)
            {
                material = Material.Brow;
            }
        }

        return d;
    }

    /// <summary>
    /// The lower-face superellipsoid; far away its cheaper ellipsoid bound, blended in between so the field
    /// stays continuous (a hard switch shows up as seams in the normals).
    /// </summary>
    private float JawDistance(Vector3 q)
    {
        var ellipsoid = Sdf.Ellipsoid(q, id.JawRadii);
        if (ellipsoid > 0.03f)
        {
            return ellipsoid;
        }

        var super = Sdf.SuperEllipsoid(q, id.JawRadii, id.JawSquareness);
        return ellipsoid + ((super - ellipsoid) * Sdf.SmoothStep(0.03f, 0.015f, ellipsoid));
    }

    private float Ear(Vector3 p, Vector3 centre, float side)
    {
        var r = new Vector3(0.011f, 0.031f, 0.019f) * id.EarSize;
        var ear = Sdf.Ellipsoid(p - centre, r);
        if (ear > 0.02f)
        {
            return ear;
        }

        var bowl = Sdf.Ellipsoid(p - centre - new Vector3(side * 0.009f, 0, 0.002f), r * new Vector3(0.7f, 0.72f, 0.68f));
        return MathF.Max(ear, -bowl);
    }

    private float Lid(Vector3 p, Vector3 eye)
    {
        var shell = Sdf.Sphere(p - eye, EyeRadius * 1.1f);
        if (shell > 0.01f)
        {
            return shell;
        }

        // Upper lid: the part of the shell above its edge; lower lid: below its edge. The eyeball shows between.
        var upper = MathF.Max(shell, UpperLidEdge - p.Y);
        var lower = MathF.Max(Sdf.Sphere(p - eye, EyeRadius * 1.07f), p.Y - LowerLidEdge);
        return MathF.Min(upper, lower);
    }

    private float Brow(Vector3 p, int side)
    {
        var t = id.BrowThickness;
        var a = Sdf.Capsule(p, BrowInner[side], BrowMid[side], t);
        var b = Sdf.Capsule(p, BrowMid[side], BrowOuter[side], t * 0.8f);
        return MathF.Min(a, b);
    }

    /// <summary>Front surface depth of the undeformed head (skull, jaw, chin) at (x, y): the z where a ray along −z enters it.</summary>
    private float BaseSurfaceZ(float x, float y)
    {
        var z = 0.45f;
        for (var i = 0; i < 200; i++)
        {
            var p = new Vector3(x, y, z);
            var skull = Sdf.Ellipsoid(p - CraniumCentre, id.CraniumRadii);
            var jaw = JawDistance(p - JawCentre);

            var d = Sdf.SmoothMin(Sdf.SmoothMin(skull, jaw, 0.06f), Sdf.Ellipsoid(p - chinCentre, chinRadii), 0.03f);
            if (d < 0.0002f)
            {
                return z;
            }

            z -= d * 0.8f;
        }

        return z;
    }
}
