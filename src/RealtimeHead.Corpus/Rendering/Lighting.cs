using System.Numerics;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// Light of a clip, fixed in the real (camera) frame: a key light direction (model axes, pointing from the
/// surface towards the light), its colour, and a hemispherical ambient term.
/// </summary>
internal readonly record struct Lighting(Vector3 Direction, Vector3 KeyColor, Vector3 Ambient)
{
    /// <summary>Draws a plausible portrait light: from the front-above, ±50° to either side.</summary>
    public static Lighting Create(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var azimuth = (random.NextDouble() - 0.5) * 1.7;
        var elevation = 0.15 + (random.NextDouble() * 0.6);
        var direction = Vector3.Normalize(new Vector3((float)(Math.Sin(azimuth) * Math.Cos(elevation)), (float)Math.Sin(elevation), (float)(Math.Cos(azimuth) * Math.Cos(elevation))));
        var warmth = (float)(random.NextDouble() - 0.5) * 0.2f;
        var key = new Vector3(1 + warmth, 1, 1 - warmth) * (float)(0.8 + (random.NextDouble() * 0.4));
        var ambient = new Vector3(0.33f, 0.35f, 0.38f) * (float)(0.7 + (random.NextDouble() * 0.6));
        return new Lighting(direction, key, ambient);
    }
}
