namespace RealtimeHead.Corpus.Tests.TestSupport;

internal static class Signals
{
    /// <summary>RMS of consecutive windows of <paramref name="window"/> samples.</summary>
    public static double[] Envelope(ReadOnlySpan<short> samples, int window)
    {
        var result = new double[samples.Length / window];
        for (var w = 0; w < result.Length; w++)
        {
            double sum = 0;
            foreach (var s in samples.Slice(w * window, window))
            {
                sum += (double)s * s;
            }

            result[w] = Math.Sqrt(sum / window);
        }

        return result;
    }

    public static short[] Sine(double frequency, double amplitude, int rate, int count) =>
        Enumerable.Range(0, count).Select(i => (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate))).ToArray();
}
