using System.Numerics;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// The shape and appearance of one synthetic person, drawn from a seed. Lengths are in world units (the head
/// is about 0.45 model units tall; the camera rig scales it into the shared world frame); colours are display RGB.
/// Coordinates here are the model frame: x to the image right, y up, z towards the camera (the renderer flips
/// y and z to reach the OpenCV-style world frame of the dataset).
/// </summary>
internal sealed record HeadIdentity
{
    public required int Id { get; init; }

    /// <summary>Seed of the procedural skin and hair textures.</summary>
    public required int TextureSeed { get; init; }

    /// <summary>Cranium ellipsoid radii.</summary>
    public required Vector3 CraniumRadii { get; init; }

    /// <summary>Lower-face (cheeks, jaw) superquadric radii and squareness (0 round … 0.7 square jaw).</summary>
    public required Vector3 JawRadii { get; init; }

    public required float JawSquareness { get; init; }

    /// <summary>Vertical offset of the chin below the lower-face centre.</summary>
    public required float ChinLength { get; init; }

    public required float EyeSpacing { get; init; }

    public required float EyeRadius { get; init; }

    public required float EyeHeight { get; init; }

    public required Vector3 IrisColor { get; init; }

    public required float BrowThickness { get; init; }

    public required float BrowArch { get; init; }

    public required float NoseLength { get; init; }

    public required float NoseWidth { get; init; }

    public required float NoseProjection { get; init; }

    public required float MouthWidth { get; init; }

    public required float UpperLipThickness { get; init; }

    public required float LowerLipThickness { get; init; }

    public required float EarSize { get; init; }

    public required Vector3 SkinColor { get; init; }

    public required Vector3 LipColor { get; init; }

    public required Vector3 HairColor { get; init; }

    /// <summary>0 short cap, 1 full volume, 2 long (falls behind the neck), 3 receding/very short.</summary>
    public required int HairStyle { get; init; }

    /// <summary>Thickness of the hair layer over the cranium.</summary>
    public required float HairVolume { get; init; }

    /// <summary>Height of the frontal hairline above the eyes.</summary>
    public required float Hairline { get; init; }

    public required Vector3 ClothColor { get; init; }

    public required Vector3 BackgroundTop { get; init; }

    public required Vector3 BackgroundBottom { get; init; }

    private static readonly Vector3[] SkinTones =
    [
        new(0.87f, 0.64f, 0.52f), new(0.80f, 0.56f, 0.43f), new(0.68f, 0.45f, 0.32f),
        new(0.55f, 0.36f, 0.24f), new(0.40f, 0.25f, 0.16f), new(0.27f, 0.17f, 0.11f), new(0.90f, 0.70f, 0.60f),
    ];

    private static readonly Vector3[] HairColors =
    [
        new(0.05f, 0.04f, 0.035f), new(0.18f, 0.11f, 0.06f), new(0.35f, 0.22f, 0.12f), new(0.70f, 0.55f, 0.32f),
        new(0.50f, 0.20f, 0.08f), new(0.55f, 0.55f, 0.55f), new(0.10f, 0.07f, 0.05f),
    ];

    private static readonly Vector3[] IrisColors =
    [
        new(0.25f, 0.14f, 0.07f), new(0.15f, 0.09f, 0.05f), new(0.25f, 0.42f, 0.60f), new(0.30f, 0.45f, 0.30f),
        new(0.40f, 0.32f, 0.18f), new(0.42f, 0.47f, 0.52f),
    ];

    /// <summary>Draws identity <paramref name="id"/> from <paramref name="seed"/> (same pair → same person).</summary>
    public static HeadIdentity Create(int id, int seed)
    {
        var r = new Random(Seeds.Derive(seed, id, 0x1d));
        float U(float lo, float hi) => lo + ((hi - lo) * (float)r.NextDouble());
        Vector3 Jitter(Vector3 c, float amount) => Vector3.Clamp(c * new Vector3(U(1 - amount, 1 + amount), U(1 - amount, 1 + amount), U(1 - amount, 1 + amount)), Vector3.Zero, Vector3.One);

        var skin = Jitter(SkinTones[r.Next(SkinTones.Length)], 0.06f);
        var hair = Jitter(HairColors[r.Next(HairColors.Length)], 0.12f);
        var hue = U(0, 2 * MathF.PI);
        var cloth = new Vector3(0.35f + (0.3f * MathF.Cos(hue)), 0.35f + (0.3f * MathF.Cos(hue + 2.1f)), 0.35f + (0.3f * MathF.Cos(hue + 4.2f))) * U(0.4f, 1.1f);
        var bgHue = U(0, 2 * MathF.PI);
        var bg = new Vector3(0.5f + (0.2f * MathF.Cos(bgHue)), 0.5f + (0.2f * MathF.Cos(bgHue + 2.1f)), 0.5f + (0.2f * MathF.Cos(bgHue + 4.2f))) * U(0.5f, 1.2f);
        var widthScale = U(0.92f, 1.08f);
        return new HeadIdentity
        {
            Id = id,
            TextureSeed = r.Next(),
            CraniumRadii = new Vector3(0.150f * widthScale, U(0.175f, 0.195f), U(0.175f, 0.195f)),
            JawRadii = new Vector3(0.118f * widthScale * U(0.9f, 1.08f), U(0.115f, 0.135f), U(0.12f, 0.135f)),
            JawSquareness = U(0.0f, 0.7f),
            ChinLength = U(0.0f, 0.02f),
            EyeSpacing = U(0.048f, 0.058f),
            EyeRadius = U(0.021f, 0.025f),
            EyeHeight = U(0.005f, 0.02f),
            IrisColor = Jitter(IrisColors[r.Next(IrisColors.Length)], 0.1f),
            BrowThickness = U(0.005f, 0.009f),
            BrowArch = U(0.0f, 0.007f),
            NoseLength = U(0.055f, 0.075f),
            NoseWidth = U(0.016f, 0.024f),
            NoseProjection = U(0.022f, 0.034f),
            MouthWidth = U(0.036f, 0.046f),
            UpperLipThickness = U(0.0065f, 0.0095f),
            LowerLipThickness = U(0.008f, 0.012f),
            EarSize = U(0.9f, 1.15f),
            SkinColor = skin,
            LipColor = Vector3.Clamp((skin * new Vector3(0.95f, 0.62f, 0.62f)) + new Vector3(U(0.02f, 0.1f), 0, 0.01f), Vector3.Zero, Vector3.One),
            HairColor = hair,
            HairStyle = r.Next(4),
            HairVolume = U(0.01f, 0.035f),
            Hairline = U(0.11f, 0.15f),
            ClothColor = Vector3.Clamp(cloth, new Vector3(0.03f), Vector3.One),
            BackgroundTop = Vector3.Clamp(bg * U(0.9f, 1.2f), Vector3.Zero, Vector3.One),
            BackgroundBottom = Vector3.Clamp(bg * U(0.5f, 0.85f), Vector3.Zero, Vector3.One),
        };
    }
}
