namespace RealtimeHead.Audio.Resampling;

/// <summary>
/// Windowed-sinc low-pass FIR design with a Kaiser window (Kaiser's formulas for β and the length, as in Oppenheim &amp;
/// Schafer, Discrete-Time Signal Processing, 3rd ed., §7.6). The filter is symmetric (linear phase), odd-length, and
/// normalised to unit gain at DC.
/// </summary>
internal static class KaiserLowPass
{
    /// <param name="passbandHz">Edge of the flat band.</param>
    /// <param name="stopbandHz">Edge from which <paramref name="attenuationDb"/> holds.</param>
    /// <param name="sampleRate">Rate the filter runs at.</param>
    /// <param name="attenuationDb">Stopband attenuation (and passband ripple δ = 10^(-A/20)).</param>
    internal static float[] Design(double passbandHz, double stopbandHz, double sampleRate, double attenuationDb)
    {
        var transition = 2 * Math.PI * (stopbandHz - passbandHz) / sampleRate;
        var order = (int)Math.Ceiling((attenuationDb - 7.95) / (2.285 * transition));
        if (order % 2 == 1) order++;   // even order = odd length: a centre tap, so the delay is a whole number of samples
        var beta = attenuationDb > 50 ? 0.1102 * (attenuationDb - 8.7)
            : attenuationDb >= 21 ? 0.5842 * Math.Pow(attenuationDb - 21, 0.4) + 0.07886 * (attenuationDb - 21)
            : 0;
        var cutoff = (passbandHz + stopbandHz) / 2 / sampleRate;   // cycles per sample
        var taps = new double[order + 1];
        var i0Beta = BesselI0(beta);
        var sum = 0.0;
        for (var n = 0; n <= order; n++)
        {
            var m = n - order / 2.0;
            var sinc = m == 0 ? 2 * cutoff : Math.Sin(2 * Math.PI * cutoff * m) / (Math.PI * m);
            var r = 2.0 * n / order - 1;
            var window = BesselI0(beta * Math.Sqrt(Math.Max(0, 1 - r * r))) / i0Beta;
            taps[n] = sinc * window;
            sum += taps[n];
        }
        var result = new float[taps.Length];
        for (var n = 0; n < taps.Length; n++) result[n] = (float)(taps[n] / sum);
        return result;
    }

    /// <summary>Zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    internal static double BesselI0(double x)
    {
        double sum = 1, term = 1, half = x / 2;
        for (var k = 1; k < 64; k++)
        {
            term *= half / k * (half / k);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return sum;
    }
}
