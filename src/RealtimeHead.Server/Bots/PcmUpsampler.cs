using RealtimeHead.Media;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// Streaming rational-ratio converter of 16-bit mono PCM to the media clock's 48 kHz (16, 22.05 and 24 kHz in: pushed
/// audio and espeak-ng's output). Each output sample is a Blackman-windowed sinc interpolation of the
/// <see cref="HalfWidth"/> input samples on either side of its position (polyphase: one precomputed tap set per output
/// phase), with the cut-off at 90 % of the lower Nyquist frequency, so upsampling adds no images and downsampling no
/// aliases. State is kept between calls: any split of the input gives the same output. The project's own
/// <c>Resampler</c> only decimates by an integer factor (48 → 16 kHz), hence this type. Not thread-safe.
/// </summary>
internal sealed class PcmUpsampler
{
    /// <summary>Input samples used on each side of an output sample.</summary>
    public const int HalfWidth = 16;

    private readonly int _up;     // L: output samples per M input samples
    private readonly int _down;   // M
    private readonly float[][] _phases;
    private float[] _history;
    private long _historyStart;   // absolute history position of _history[0]
    private int _count;           // samples in _history
    private long _next;           // index of the next output sample

    /// <param name="inputRate">Input samples per second, 8 kHz – 48 kHz.</param>
    public PcmUpsampler(int inputRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputRate, MediaClock.SampleRate);
        InputRate = inputRate;
        var gcd = Gcd(inputRate, MediaClock.SampleRate);
        _up = MediaClock.SampleRate / gcd;
        _down = inputRate / gcd;
        _phases = new float[_up][];

        // Cut-off in cycles per input sample: 0.45 = 90 % of the input's Nyquist (the lower one when upsampling).
        const double Cutoff = 0.45;
        for (var phase = 0; phase < _up; phase++)
        {
            var taps = new float[2 * HalfWidth];
            var fraction = (double)phase / _up;
            double sum = 0;
            for (var j = 0; j < taps.Length; j++)
            {
                // Tap j weighs input i - HalfWidth + 1 + j for an output at input position i + fraction.
                var x = j - HalfWidth + 1 - fraction;
                var sinc = x == 0 ? 1 : Math.Sin(2 * Math.PI * Cutoff * x) / (2 * Math.PI * Cutoff * x);
                var w = (x / HalfWidth + 1) / 2; // 0..1 across the window
                var blackman = 0.42 - (0.5 * Math.Cos(2 * Math.PI * w)) + (0.08 * Math.Cos(4 * Math.PI * w));
                var value = 2 * Cutoff * sinc * Math.Max(0, blackman);
                taps[j] = (float)value;
                sum += value;
            }

            // Unity gain at DC for every phase, so a constant input stays constant.
            for (var j = 0; j < taps.Length; j++)
            {
                taps[j] = (float)(taps[j] / sum);
            }

            _phases[phase] = taps;
        }

        _history = new float[4096];
        _count = HalfWidth; // leading zeros: the signal before the first sample is silence
    }

    /// <summary>Input samples per second.</summary>
    public int InputRate { get; }

    /// <summary>Converts <paramref name="input"/>; returns the 48 kHz samples now complete (about 3 ms lag behind the input at 16 kHz).</summary>
    public short[] Process(ReadOnlySpan<short> input)
    {
        Append(input, 0);
        return Produce();
    }

    /// <summary>Ends the stream: returns the samples still held back (the input is followed by silence).</summary>
    public short[] Flush()
    {
        Append(default, HalfWidth);
        return Produce();
    }

    /// <summary>Converts a whole signal in one go (a fresh converter: process and flush).</summary>
    public static short[] Convert(ReadOnlySpan<short> input, int inputRate)
    {
        if (inputRate == MediaClock.SampleRate)
        {
            return input.ToArray();
        }

        var converter = new PcmUpsampler(inputRate);
        var head = converter.Process(input);
        var tail = converter.Flush();
        var all = new short[head.Length + tail.Length];
        head.CopyTo(all, 0);
        tail.CopyTo(all, head.Length);
        return all;
    }

    private void Append(ReadOnlySpan<short> samples, int zeros)
    {
        var length = samples.Length + zeros;
        if (_count + length > _history.Length)
        {
            Array.Resize(ref _history, Math.Max(_history.Length * 2, _count + length));
        }

        for (var i = 0; i < samples.Length; i++)
        {
            _history[_count + i] = samples[i];
        }

        Array.Clear(_history, _count + samples.Length, zeros);
        _count += length;
    }

    private short[] Produce()
    {
        var output = new List<short>();
        var end = _historyStart + _count;
        while (true)
        {
            // Output n sits at input position n·M/L; in history coordinates (leading zeros included) its taps are
            // positions i+1 .. i+2H, where i is the integer part.
            var numerator = _next * _down;
            var i = numerator / _up;
            var phase = (int)(numerator % _up);
            if (i + (2 * HalfWidth) >= end)
            {
                break;
            }

            var taps = _phases[phase];
            var offset = (int)(i + 1 - _historyStart);
            double acc = 0;
            for (var j = 0; j < taps.Length; j++)
            {
                acc += taps[j] * _history[offset + j];
            }

            output.Add((short)Math.Clamp(Math.Round(acc), short.MinValue, short.MaxValue));
            _next++;
        }

        // Keep only what the next output still needs.
        var keepFrom = (_next * _down / _up) + 1;
        var drop = (int)Math.Min(_count, Math.Max(0, keepFrom - _historyStart));
        if (drop > 0)
        {
            Array.Copy(_history, drop, _history, 0, _count - drop);
            _count -= drop;
            _historyStart += drop;
        }

        return [.. output];
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
