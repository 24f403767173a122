namespace RealtimeHead.Corpus.Animation;

/// <summary>Seeded gaze: fixations of 0.4–2 s at small random offsets, with quick (about 2-frame) saccades between them.</summary>
internal static class GazeGenerator
{
    public static (double X, double Y)[] Generate(int frameCount, double fps, int seed)
    {
        var random = new Random(seed);
        var gaze = new (double X, double Y)[frameCount];
        double x = 0, y = 0, targetX = 0, targetY = 0, next = 0;
        for (var f = 0; f < frameCount; f++)
        {
            var t = f / fps;
            if (t >= next)
            {
                targetX = (random.NextDouble() - 0.5) * 0.5;
                targetY = (random.NextDouble() - 0.5) * 0.3;
                next = t + 0.4 + (random.NextDouble() * 1.6);
            }

            x += (targetX - x) * 0.6;
            y += (targetY - y) * 0.6;
            gaze[f] = (x, y);
        }

        return gaze;
    }
}
