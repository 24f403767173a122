namespace RealtimeHead.Audio.Features;

/// <summary>
/// In-place iterative radix-2 decimation-in-time complex FFT (Cooley-Tukey) of one fixed power-of-two size, with the
/// twiddles and the bit-reversal permutation computed once. Forward transform, no scaling: X[k] = Σ x[n]·e^(-2πikn/N).
/// </summary>
internal sealed class Fft
{
    private readonly float[] _cos;
    private readonly float[] _sin;
    private readonly int[] _bitReversed;

    public Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two ≥ 2.");
        Size = size;
        _cos = new float[size / 2];
        _sin = new float[size / 2];
        for (var k = 0; k < size / 2; k++)
        {
            var angle = -2 * Math.PI * k / size;
            _cos[k] = (float)Math.Cos(angle);
            _sin[k] = (float)Math.Sin(angle);
        }
        _bitReversed = new int[size];
        var bits = System.Numerics.BitOperations.Log2((uint)size);
        for (var i = 0; i < size; i++)
        {
            var r = 0;
            for (var b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReversed[i] = r;
        }
    }

    public int Size { get; }

    /// <summary>Transforms (<paramref name="real"/>, <paramref name="imaginary"/>), each <see cref="Size"/> long, in place.</summary>
    public void Forward(Span<float> real, Span<float> imaginary)
    {
        if (real.Length != Size || imaginary.Length != Size) throw new ArgumentException($"Both spans must be {Size} long.");
        for (var i = 0; i < Size; i++)
        {
            var j = _bitReversed[i];
            if (j <= i) continue;
            (real[i], real[j]) = (real[j], real[i]);
            (imaginary[i], imaginary[j]) = (imaginary[j], imaginary[i]);
        }
        for (var length = 2; length <= Size; length <<= 1)
        {
            var half = length >> 1;
            var step = Size / length;
            for (var start = 0; start < Size; start += length)
            {
                for (var k = 0; k < half; k++)
                {
                    float wr = _cos[k * step], wi = _sin[k * step];
                    int a = start + k, b = a + half;
                    var tr = real[b] * wr - imaginary[b] * wi;
                    var ti = real[b] * wi + imaginary[b] * wr;
                    real[b] = real[a] - tr;
                    imaginary[b] = imaginary[a] - ti;
                    real[a] += tr;
                    imaginary[a] += ti;
                }
            }
        }
    }
}
