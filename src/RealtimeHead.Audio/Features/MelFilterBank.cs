namespace RealtimeHead.Audio.Features;

/// <summary>
/// Triangular mel filters over the bins of a real FFT, on the Slaney mel scale (linear below 1 kHz, logarithmic
/// above; Slaney's Auditory Toolbox, as librosa's default and Whisper) with Slaney area normalisation (each filter
/// scaled by 2 / its width in Hz), so a filter's response to white noise does not grow with its width.
/// </summary>
internal sealed class MelFilterBank
{
    private const double LinearHzPerMel = 200.0 / 3;
    private const double BreakHz = 1000;
    private const double BreakMel = BreakHz / LinearHzPerMel;   // 15
    private static readonly double LogStep = Math.Log(6.4) / 27;

    private readonly float[][] _weights;   // per filter, weights for bins [first, first + length)
    private readonly int[] _firstBin;

    public MelFilterBank(int melBins, int fftSize, int sampleRate, double minHz, double maxHz)
    {
        MelBins = melBins;
        var binCount = fftSize / 2 + 1;
        var minMel = HzToMel(minHz);
        var maxMel = HzToMel(maxHz);
        var edges = new double[melBins + 2];
        for (var i = 0; i < edges.Length; i++) edges[i] = MelToHz(minMel + (maxMel - minMel) * i / (melBins + 1));
        CentreFrequencies = new double[melBins];
        _weights = new float[melBins][];
        _firstBin = new int[melBins];
        for (var m = 0; m < melBins; m++)
        {
            double low = edges[m], centre = edges[m + 1], high = edges[m + 2];
            CentreFrequencies[m] = centre;
            var norm = 2 / (high - low);
            var weights = new List<float>();
            var first = -1;
            for (var k = 0; k < binCount; k++)
            {
                var f = (double)k * sampleRate / fftSize;
                var w = Math.Max(0, Math.Min((f - low) / (centre - low), (high - f) / (high - centre)));
                if (w <= 0)
                {
                    if (first >= 0) break;
                    continue;
                }
                if (first < 0) first = k;
                weights.Add((float)(w * norm));
            }
            _firstBin[m] = Math.Max(first, 0);
            _weights[m] = [.. weights];
        }
    }

    public int MelBins { get; }

    /// <summary>Centre frequency of each filter in Hz.</summary>
    public double[] CentreFrequencies { get; }

    /// <summary>Weights of filter <paramref name="m"/> by FFT bin (zero outside its support).</summary>
    internal float Weight(int m, int bin)
    {
        var i = bin - _firstBin[m];
        return i >= 0 && i < _weights[m].Length ? _weights[m][i] : 0;
    }

    /// <summary>Mel energies of one power spectrum (fftSize / 2 + 1 bins).</summary>
    public void Apply(ReadOnlySpan<float> power, Span<float> mel)
    {
        for (var m = 0; m < MelBins; m++)
        {
            var weights = _weights[m];
            var bins = power.Slice(_firstBin[m], weights.Length);
            float sum = 0;
            for (var i = 0; i < weights.Length; i++) sum += weights[i] * bins[i];
            mel[m] = sum;
        }
    }

    internal static double HzToMel(double hz) =>
        hz < BreakHz ? hz / LinearHzPerMel : BreakMel + Math.Log(hz / BreakHz) / LogStep;

    internal static double MelToHz(double mel) =>
        mel < BreakMel ? mel * LinearHzPerMel : BreakHz * Math.Exp(LogStep * (mel - BreakMel));
}
