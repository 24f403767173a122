using System.Numerics;
using System.Runtime.InteropServices;

namespace RealtimeHead.Audio.Resampling;

/// <summary>
/// Streaming integer-ratio decimator (48 kHz to 16 kHz by default) with a Kaiser-windowed-sinc anti-aliasing filter.
/// Polyphase: only the kept outputs are computed, each as one dot product over the filter, i.e. the M polyphase
/// branches run at the output rate. State is kept between calls, so any split of the input into blocks gives the same
/// output, sample for sample, as one call over the whole signal.
/// <para>Timing: output sample n is centred on input sample n·M (the filter's delay is compensated), so a block's
/// media timestamp maps to the output directly. The cost is availability latency: output n is produced once input
/// sample n·M + <see cref="DelaySamples"/> has arrived. <see cref="Flush"/> emits the outputs still held back.</para>
/// Not thread-safe: one instance per audio stream. As an <see cref="IAudioResampler"/> it is the pipeline's
/// production 48 → 16 kHz converter (one per session).
/// </summary>
public sealed class Resampler : IAudioResampler
{
    private const int ShortBlock = 1024;
    private readonly float[] _taps;
    private float[] _buffer;
    private int _count;      // samples in _buffer
    private int _position;   // start in _buffer of the next output's window

    public Resampler() : this(new ResamplerOptions())
    {
    }

    public Resampler(ResamplerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Factor = options.InputSampleRate / options.OutputSampleRate;
        if (Factor == 1)
        {
            _taps = [1f];
        }
        else
        {
            var nyquist = options.OutputSampleRate / 2.0;
            _taps = KaiserLowPass.Design(nyquist * options.PassbandFraction, nyquist, options.InputSampleRate, options.StopbandAttenuationDb);
        }
        DelaySamples = _taps.Length / 2;
        _buffer = new float[Math.Max(4096, _taps.Length * 4)];
        Reset();
    }

    public ResamplerOptions Options { get; }

    /// <summary>Input samples per second (<see cref="ResamplerOptions.InputSampleRate"/>).</summary>
    public int InputRate => Options.InputSampleRate;

    /// <summary>Output samples per second (<see cref="ResamplerOptions.OutputSampleRate"/>).</summary>
    public int OutputRate => Options.OutputSampleRate;

    /// <summary>Decimation factor M (3 for 48 to 16 kHz).</summary>
    public int Factor { get; }

    /// <summary>Filter length in input samples (243 with the defaults).</summary>
    public int TapCount => _taps.Length;

    /// <summary>Input samples that must follow an output's centre before that output is produced (121 ≈ 2.5 ms by default).</summary>
    public int DelaySamples { get; }

    internal ReadOnlySpan<float> Taps => _taps;

    /// <summary>Exact number of outputs the next <see cref="Process(ReadOnlySpan{float}, Span{float})"/> of <paramref name="inputLength"/> samples writes.</summary>
    public int GetOutputLength(int inputLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputLength);
        long available = (long)_count + inputLength - _position - _taps.Length;
        return available < 0 ? 0 : (int)(available / Factor + 1);
    }

    /// <summary>Filters and decimates <paramref name="input"/>; returns how many samples it wrote to <paramref name="output"/>.</summary>
    public int Process(ReadOnlySpan<float> input, Span<float> output)
    {
        var needed = GetOutputLength(input.Length);
        if (output.Length < needed)
            throw new ArgumentException($"Output holds {output.Length} samples; this call produces {needed} (see GetOutputLength).", nameof(output));
        Append(input);
        return Drain(output);
    }

    /// <summary>As <see cref="Process(ReadOnlySpan{float}, Span{float})"/> for 16-bit PCM (scaled by 1/32768).</summary>
    public int Process(ReadOnlySpan<short> input, Span<float> output)
    {
        var needed = GetOutputLength(input.Length);
        if (output.Length < needed)
            throw new ArgumentException($"Output holds {output.Length} samples; this call produces {needed} (see GetOutputLength).", nameof(output));
        Span<float> block = stackalloc float[ShortBlock];
        var written = 0;
        while (!input.IsEmpty)
        {
            var n = Math.Min(ShortBlock, input.Length);
            for (var i = 0; i < n; i++) block[i] = input[i] * (1f / 32768f);
            Append(block[..n]);
            written += Drain(output[written..]);
            input = input[n..];
        }
        return written;
    }

    /// <summary>Allocating convenience over <see cref="Process(ReadOnlySpan{float}, Span{float})"/>.</summary>
    public float[] Process(ReadOnlySpan<float> input)
    {
        var output = new float[GetOutputLength(input.Length)];
        Process(input, output);
        return output;
    }

    /// <summary>
    /// Ends the stream: emits every output centred on an input already given (zeros stand in for the future), then
    /// resets. Returns the number written; <paramref name="output"/> needs <see cref="DelaySamples"/> / M + 1 samples.
    /// </summary>
    public int Flush(Span<float> output)
    {
        // Input index i sits at buffer index i + DelaySamples + (already consumed); after appending DelaySamples zeros,
        // exactly the windows centred on given input fit.
        var pending = GetOutputLength(DelaySamples);
        if (output.Length < pending)
            throw new ArgumentException($"Output holds {output.Length} samples; the flush produces {pending}.", nameof(output));
        Span<float> zeros = stackalloc float[DelaySamples];
        zeros.Clear();
        Append(zeros);
        var written = Drain(output);
        Reset();
        return written;
    }

    /// <summary>Forgets all history (a new stream starts with silence before it, as at construction).</summary>
    public void Reset()
    {
        // DelaySamples leading zeros centre output 0 on input sample 0.
        Array.Clear(_buffer);
        _count = DelaySamples;
        _position = 0;
    }

    private void Append(ReadOnlySpan<float> input)
    {
        if (_count + input.Length > _buffer.Length)
        {
            // Drop what no future window needs, then grow if one call brings more than the buffer holds.
            var keep = _count - _position;
            _buffer.AsSpan(_position, keep).CopyTo(_buffer);
            _count = keep;
            _position = 0;
            if (_count + input.Length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _count + input.Length));
        }
        input.CopyTo(_buffer.AsSpan(_count));
        _count += input.Length;
    }

    private int Drain(Span<float> output)
    {
        var written = 0;
        var taps = _taps.AsSpan();
        while (_position + taps.Length <= _count)
        {
            output[written++] = Dot(_buffer.AsSpan(_position, taps.Length), taps);
            _position += Factor;
        }
        return written;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<float, Vector<float>>(b);
            for (var v = 0; v < va.Length; v++) sum += va[v] * vb[v];
            i = va.Length * Vector<float>.Count;
        }
        var total = Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }
}
