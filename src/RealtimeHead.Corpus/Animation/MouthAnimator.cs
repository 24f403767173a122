namespace RealtimeHead.Corpus.Animation;

/// <summary>
/// Turns a phoneme track into a per-frame <see cref="MouthShape"/> with coarticulation: each phoneme's viseme
/// target is held over its span on a 200 Hz grid, shifted earlier by <see cref="LookaheadSeconds"/> (lips move
/// towards a sound before it is heard: anticipatory coarticulation, Cohen and Massaro 1993), then smoothed
/// with a Gaussian. Lip closure of bilabials is smoothed with a narrower kernel so p/b/m still close fully.
/// </summary>
internal sealed class MouthAnimator
{
    private const double GridRate = 200;

    /// <summary>Anticipation: targets lead the audio by this much (default 40 ms).</summary>
    public double LookaheadSeconds { get; init; } = 0.04;

    /// <summary>Gaussian σ for jaw, width and rounding (default 35 ms).</summary>
    public double SmoothingSeconds { get; init; } = 0.035;

    /// <summary>Gaussian σ for lip closure (default 15 ms).</summary>
    public double ClosureSmoothingSeconds { get; init; } = 0.015;

    /// <summary>Mouth shapes at <paramref name="fps"/> for <paramref name="frameCount"/> frames (frame i at i/fps).</summary>
    public MouthShape[] Animate(IReadOnlyList<PhonemeSpan> phonemes, int frameCount, double fps)
    {
        ArgumentNullException.ThrowIfNull(phonemes);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fps, 0);

        var duration = frameCount / fps;
        var n = (int)Math.Ceiling(duration * GridRate) + 1;
        var jaw = new double[n];
        var width = new double[n];
        var round = new double[n];
        var press = new double[n];
        var rest = MouthShape.Rest;
        for (var i = 0; i < n; i++)
        {
            var t = (i / GridRate) + LookaheadSeconds;
            var shape = rest;
            foreach (var span in phonemes)
            {
                if (t >= span.Start && t < span.End)
                {
                    shape = MouthShape.Of(span.Viseme);
                    break;
                }
            }

            jaw[i] = shape.JawOpen;
            width[i] = shape.LipWidth;
            round[i] = shape.Rounding;
            press[i] = shape.LipPress;
        }

        jaw = Smooth(jaw, SmoothingSeconds * GridRate);
        width = Smooth(width, SmoothingSeconds * GridRate);
        round = Smooth(round, SmoothingSeconds * GridRate);
        press = Smooth(press, ClosureSmoothingSeconds * GridRate);

        var frames = new MouthShape[frameCount];
        for (var f = 0; f < frameCount; f++)
        {
            var i = Math.Min(n - 1, (int)Math.Round(f / fps * GridRate));
            frames[f] = new MouthShape(Math.Clamp(jaw[i], 0, 1), Math.Clamp(width[i], -1, 1), Math.Clamp(round[i], 0, 1), Math.Clamp(press[i], 0, 1));
        }

        return frames;
    }

    private static double[] Smooth(double[] signal, double sigma)
    {
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[(2 * radius) + 1];
        double sum = 0;
        for (var k = -radius; k <= radius; k++)
        {
            sum += kernel[k + radius] = Math.Exp(-0.5 * k * k / (sigma * sigma));
        }

        var output = new double[signal.Length];
        for (var i = 0; i < signal.Length; i++)
        {
            double acc = 0;
            for (var k = -radius; k <= radius; k++)
            {
                acc += kernel[k + radius] * signal[Math.Clamp(i + k, 0, signal.Length - 1)];
            }

            output[i] = acc / sum;
        }

        return output;
    }
}
