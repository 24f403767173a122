namespace RealtimeHead.Corpus.Speech;

/// <summary>
/// Rational-ratio windowed-sinc resampler (polyphase; Smith, "Digital Audio Resampling", bandlimited
/// interpolation). The kernel is a Blackman-windowed sinc whose cutoff sits at 0.92 of the lower Nyquist
/// frequency, so 22050 → 16000 Hz keeps speech to 7.4 kHz and attenuates aliases by about 70 dB.
/// </summary>
public sealed class Resampler
{
    private const int ZeroCrossings = 16;

    private readonly int up;
    private readonly int down;
    private readonly int halfTaps;
    private readonly float[][] phases;

    /// <summary>Creates a resampler from <paramref name="inputRate"/> to <paramref name="outputRate"/> Hz.</summary>
    public Resampler(int inputRate, int outputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputRate, 1);
        var g = Gcd(inputRate, outputRate);
        up = outputRate / g;
        down = inputRate / g;
        InputRate = inputRate;
        OutputRate = outputRate;

        // Cutoff relative to the input rate's Nyquist; the kernel widens when downsampling.
        var cutoff = 0.92 * Math.Min(1.0, (double)outputRate / inputRate);
        halfTaps = (int)Math.Ceiling(ZeroCrossings / cutoff);
        phases = new float[up][];
        for (var phase = 0; phase < up; phase++)
        {
            // Output sample n sits at input position n·down/up = base + phase/up.
            var frac = (double)phase / up;
            var taps = new float[2 * halfTaps];
            double sum = 0;
            for (var k = 0; k < taps.Length; k++)
            {
                var t = k - halfTaps + 1 - frac; // distance of input sample (base + k - halfTaps + 1) from the output position
                var x = cutoff * t;
                var sinc = Math.Abs(x) < 1e-12 ? 1.0 : Math.Sin(Math.PI * x) / (Math.PI * x);
                var w = (t + halfTaps) / (2.0 * halfTaps); // 0..1 across the kernel
                var window = w is <= 0 or >= 1 ? 0 : 0.42 - (0.5 * Math.Cos(2 * Math.PI * w)) + (0.08 * Math.Cos(4 * Math.PI * w));
                taps[k] = (float)(cutoff * sinc * window);
                sum += taps[k];
            }

            // Unit DC gain per phase keeps silence silent and avoids a phase-dependent ripple.
            for (var k = 0; k < taps.Length; k++)
            {
                taps[k] = (float)(taps[k] / sum);
            }

            phases[phase] = taps;
        }
    }

    public int InputRate { get; }

    public int OutputRate { get; }

    /// <summary>Number of output samples for <paramref name="inputLength"/> input samples (rounded down).</summary>
    public int OutputLength(int inputLength) => (int)((long)inputLength * up / down);

    /// <summary>Resamples a whole signal; samples beyond either end count as zero.</summary>
    public short[] Process(ReadOnlySpan<short> input)
    {
        var output = new short[OutputLength(input.Length)];
        for (var n = 0; n < output.Length; n++)
        {
            var position = (long)n * down;
            var baseIndex = (int)(position / up);
            var taps = phases[(int)(position % up)];
            var start = baseIndex - halfTaps + 1;
            float acc = 0;
            for (var k = 0; k < taps.Length; k++)
            {
                var i = start + k;
                if ((uint)i < (uint)input.Length)
                {
                    acc += taps[k] * input[i];
                }
            }

            output[n] = (short)Math.Clamp(MathF.Round(acc), short.MinValue, short.MaxValue);
        }

        return output;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);
}
