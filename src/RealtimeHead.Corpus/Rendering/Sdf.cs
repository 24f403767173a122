using System.Numerics;
using System.Runtime.CompilerServices;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>Signed distance primitives and blends (Quílez, "distance functions"; Hart 1996 sphere tracing).</summary>
internal static class Sdf
{
    /// <summary>Ellipsoid bound (not exact away from the surface, but never over-estimates by much; marched with a safety factor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Ellipsoid(Vector3 p, Vector3 r)
    {
        var k0 = (p / r).Length();
        var k1 = (p / (r * r)).Length();
        return k1 < 1e-9f ? -MathF.Min(r.X, MathF.Min(r.Y, r.Z)) : k0 * (k0 - 1) / k1;
    }

    /// <summary>
    /// Superquadric-like ellipsoid: the distance bound of the L_n norm of p/r for <paramref name="squareness"/>
    /// s ∈ [0, 1] blending n = 2 (ellipsoid) towards n = 4 (rounded box), scaled by the smallest radius. The
    /// blend avoids <c>pow</c> with a variable exponent, which dominated the marching cost.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SuperEllipsoid(Vector3 p, Vector3 r, float squareness)
    {
        var q = p / r;
        var q2 = q * q;
        var n2 = MathF.Sqrt(q2.X + q2.Y + q2.Z);
        var q4 = q2 * q2;
        var n4 = MathF.Sqrt(MathF.Sqrt(q4.X + q4.Y + q4.Z));
        var norm = n2 + ((n4 - n2) * squareness);
        return (norm - 1) * MathF.Min(r.X, MathF.Min(r.Y, r.Z));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sphere(Vector3 p, float r) => p.Length() - r;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Capsule(Vector3 p, Vector3 a, Vector3 b, float r)
    {
        var pa = p - a;
        var ba = b - a;
        var h = Math.Clamp(Vector3.Dot(pa, ba) / Vector3.Dot(ba, ba), 0, 1);
        return (pa - (ba * h)).Length() - r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RoundBox(Vector3 p, Vector3 halfSize, float radius)
    {
        var q = Vector3.Abs(p) - halfSize + new Vector3(radius);
        return Vector3.Max(q, Vector3.Zero).Length() + MathF.Min(MathF.Max(q.X, MathF.Max(q.Y, q.Z)), 0) - radius;
    }

    /// <summary>Polynomial smooth minimum with blend radius <paramref name="k"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SmoothMin(float a, float b, float k)
    {
        var h = MathF.Max(k - MathF.Abs(a - b), 0) / k;
        return MathF.Min(a, b) - (h * h * k * 0.25f);
    }

    /// <summary>Smooth subtraction of <paramref name="b"/> from <paramref name="a"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SmoothSubtract(float a, float b, float k) => -SmoothMin(-a, b, k);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SmoothStep(float edge0, float edge1, float x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0, 1);
        return t * t * (3 - (2 * t));
    }
}
