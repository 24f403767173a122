namespace RealtimeHead.Corpus.Animation;

/// <summary>
/// Seeded non-verbal motion: blinks at random intervals (2–6 s apart, 150–250 ms long, a fast close and a
/// slower open) and small natural head motion (sums of slow sinusoids with random phases, a few degrees, with
/// extra nodding while speaking loudly).
/// </summary>
internal sealed class MotionGenerator
{
    private readonly Random random;

    public MotionGenerator(int seed) => random = new Random(seed);

    /// <summary>Scale of the head motion (1 = a few degrees; 0 = a frozen frontal head).</summary>
    public double MotionScale { get; init; } = 1;

    /// <summary>Eyelid closure per frame.</summary>
    public double[] Blinks(int frameCount, double fps)
    {
        var closure = new double[frameCount];
        var t = 0.3 + (random.NextDouble() * 2.5);
        var duration = frameCount / fps;
        while (t < duration)
        {
            var length = 0.15 + (random.NextDouble() * 0.1);
            for (var f = (int)(t * fps); f < frameCount && f / fps < t + length; f++)
            {
                var u = ((f / fps) - t) / length;
                // Closes in the first 40% of the blink, reopens over the rest.
                var value = u < 0.4 ? u / 0.4 : 1 - ((u - 0.4) / 0.6);
                closure[f] = Math.Max(closure[f], Math.Clamp(value, 0, 1));
            }

            t += length + 2 + (random.NextDouble() * 4);
        }

        return closure;
    }

    /// <summary>Head pose per frame; <paramref name="jawOpen"/> adds speech-linked nods.</summary>
    public HeadPose[] Poses(int frameCount, double fps, ReadOnlySpan<double> jawOpen)
    {
        var baseYaw = (random.NextDouble() - 0.5) * 0.35;
        var basePitch = (random.NextDouble() - 0.5) * 0.15;
        var baseRoll = (random.NextDouble() - 0.5) * 0.1;
        var waves = new (double Amplitude, double Frequency, double Phase)[6][];
        for (var axis = 0; axis < 6; axis++)
        {
            waves[axis] = new (double, double, double)[3];
            for (var k = 0; k < 3; k++)
            {
                var amplitude = axis < 3 ? 0.04 / (k + 1) : 0.008 / (k + 1);
                waves[axis][k] = (amplitude * (0.5 + random.NextDouble()), 0.1 + (random.NextDouble() * 0.5 * (k + 1)), random.NextDouble() * 2 * Math.PI);
            }
        }

        var poses = new HeadPose[frameCount];
        var nod = 0.0;
        Span<double> v = stackalloc double[6];
        for (var f = 0; f < frameCount; f++)
        {
            var t = f / fps;
            v.Clear();
            for (var axis = 0; axis < 6; axis++)
            {
                foreach (var (a, fr, ph) in waves[axis])
                {
                    v[axis] += a * Math.Sin((2 * Math.PI * fr * t) + ph);
                }
            }

            // Speakers nod slightly with emphasis: a slow follower of the jaw opening.
            var target = f < jawOpen.Length ? jawOpen[f] : 0;
            nod += (target - nod) * 0.15;
            poses[f] = new HeadPose(
                (baseYaw + v[0]) * MotionScale,
                (basePitch + v[1] + (0.03 * nod)) * MotionScale,
                (baseRoll + v[2]) * MotionScale,
                v[3] * MotionScale,
                v[4] * MotionScale,
                v[5] * MotionScale);
        }

        return poses;
    }
}
