using System.Numerics;
using System.Runtime.CompilerServices;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// Seeded 3D value noise and fractal sums from an integer hash, so textures depend only on the seed (no
/// shared random state, safe to call from parallel rows).
/// </summary>
internal static class Noise
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Hash(int x, int y, int z, int seed)
    {
        unchecked
        {
            var h = (uint)((x * 374761393) + (y * 668265263) + (z * 1274126177) + (seed * 1442695041));
            h = (h ^ (h >> 13)) * 1274126177u;
            h ^= h >> 16;
            return (h & 0xFFFFFF) / (float)0xFFFFFF;
        }
    }

    /// <summary>Smooth value noise in [0, 1].</summary>
    public static float Value(Vector3 p, int seed)
    {
        var fx = MathF.Floor(p.X);
        var fy = MathF.Floor(p.Y);
        var fz = MathF.Floor(p.Z);
        int x = (int)fx, y = (int)fy, z = (int)fz;
        float tx = p.X - fx, ty = p.Y - fy, tz = p.Z - fz;
        tx = tx * tx * (3 - (2 * tx));
        ty = ty * ty * (3 - (2 * ty));
        tz = tz * tz * (3 - (2 * tz));
        var c00 = Lerp(Hash(x, y, z, seed), Hash(x + 1, y, z, seed), tx);
        var c10 = Lerp(Hash(x, y + 1, z, seed), Hash(x + 1, y + 1, z, seed), tx);
        var c01 = Lerp(Hash(x, y, z + 1, seed), Hash(x + 1, y, z + 1, seed), tx);
        var c11 = Lerp(Hash(x, y + 1, z + 1, seed), Hash(x + 1, y + 1, z + 1, seed), tx);
        return Lerp(Lerp(c00, c10, ty), Lerp(c01, c11, ty), tz);
    }

    /// <summary>Fractal sum of <paramref name="octaves"/> octaves, in about [0, 1].</summary>
    public static float Fbm(Vector3 p, int seed, int octaves)
    {
        float sum = 0, amplitude = 0.5f, total = 0;
        for (var i = 0; i < octaves; i++)
        {
            sum += amplitude * Value(p, seed + i);
            total += amplitude;
            p *= 2.03f;
            amplitude *= 0.5f;
        }

        return sum / total;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);
}
