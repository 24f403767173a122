namespace RealtimeHead.Corpus;

/// <summary>
/// Derives independent sub-seeds from a corpus seed. <see cref="HashCode"/> is randomised per process, so
/// seeds are mixed with SplitMix64's finaliser instead: stable across runs, machines and .NET versions.
/// </summary>
internal static class Seeds
{
    public static int Derive(int seed, int a, int b = 0, int c = 0)
    {
        unchecked
        {
            var z = (ulong)(uint)seed;
            foreach (var v in (ReadOnlySpan<int>)[a, b, c])
            {
                z += 0x9E3779B97F4A7C15UL + (ulong)(uint)v;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                z ^= z >> 31;
            }

            return (int)(z & 0x7FFFFFFF);
        }
    }
}
