using System.Buffers.Binary;
using RealtimeHead.Media;

namespace RealtimeHead.WebRtc.Tests.EndToEnd;

/// <summary>Signals the end-to-end tests make and measure: the frame-number pattern, a tone, WAV reading, RMS and alignment.</summary>
internal static class TestSignals
{
    /// <summary>
    /// Paints frame <paramref name="number"/> as a 4x4 grid of black/white luma blocks (bits 0-11 the number,
    /// bits 12-15 the check <c>(n*7+3)&amp;15</c>), grey chroma: big flat blocks survive VP8 at any bitrate.
    /// </summary>
    public static void PaintFrameNumber(VideoFrame frame, int number)
    {
        int bits = (number & 0xFFF) | ((((number * 7) + 3) & 15) << 12);
        for (int y = 0; y < frame.Height; y++)
        {
            int row = Math.Min(3, y * 4 / frame.Height);
            for (int x = 0; x < frame.Width; x++)
            {
                int column = Math.Min(3, x * 4 / frame.Width);
                frame.Y[(y * frame.Width) + x] = (bits & (1 << ((row * 4) + column))) != 0 ? (byte)235 : (byte)16;
            }
        }

        frame.U.AsSpan().Fill(128);
        frame.V.AsSpan().Fill(128);
    }

    /// <summary>20 ms of a sine tone at the media clock rate, continuous across calls by its sample position.</summary>
    public static short[] Tone(long firstSample, int count, double frequency, double amplitude)
    {
        var samples = new short[count];
        for (int i = 0; i < count; i++)
        {
            samples[i] = (short)(amplitude * short.MaxValue * Math.Sin(2 * Math.PI * frequency * (firstSample + i) / MediaClock.SampleRate));
        }

        return samples;
    }

    /// <summary>Reads a 16-bit PCM mono WAV (RIFF); returns the samples and rate.</summary>
    public static (short[] Samples, int SampleRate) ReadWav(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int offset = 12;
        int sampleRate = 0, channels = 0, bits = 0;
        while (offset + 8 <= bytes.Length)
        {
            string id = System.Text.Encoding.ASCII.GetString(bytes, offset, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 4));
            if (id == "fmt ")
            {
                channels = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset + 10));
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 12));
                bits = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset + 22));
            }
            else if (id == "data")
            {
                if (channels != 1 || bits != 16)
                {
                    throw new InvalidDataException($"{path}: {channels} channels, {bits} bits; expected 16-bit mono.");
                }

                size = Math.Min(size, bytes.Length - offset - 8);
                var samples = new short[size / 2];
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(offset + 8 + (2 * i)));
                }

                return (samples, sampleRate);
            }

            offset += 8 + size + (size & 1);
        }

        throw new InvalidDataException($"{path} has no data chunk.");
    }

    /// <summary>RMS level in dB relative to full scale.</summary>
    public static double RmsDb(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (short s in samples)
        {
            sum += (double)s * s;
        }

        return 10 * Math.Log10((sum / Math.Max(1, samples.Length)) + 1e-9) - (20 * Math.Log10(short.MaxValue));
    }

    /// <summary>
    /// Where <paramref name="reference"/> best matches inside <paramref name="signal"/>: normalised cross-correlation of
    /// 10 ms energy envelopes for the coarse lag, then of samples within ±10 ms for the exact one. -1 when too short.
    /// </summary>
    public static int Align(short[] reference, short[] signal)
    {
        const int Hop = 480;
        if (signal.Length < reference.Length)
        {
            return -1;
        }

        double[] refEnvelope = Envelope(reference, Hop);
        double[] sigEnvelope = Envelope(signal, Hop);
        int bestHop = 0;
        double best = double.NegativeInfinity;
        for (int lag = 0; lag + refEnvelope.Length <= sigEnvelope.Length; lag++)
        {
            double score = Correlation(refEnvelope, sigEnvelope.AsSpan(lag, refEnvelope.Length));
            if (score > best)
            {
                best = score;
                bestHop = lag;
            }
        }

        int bestLag = bestHop * Hop;
        best = double.NegativeInfinity;
        int start = Math.Max(0, (bestHop * Hop) - Hop);
        int end = Math.Min(signal.Length - reference.Length, (bestHop * Hop) + Hop);
        for (int lag = start; lag <= end; lag += 2)
        {
            double dot = 0;
            for (int i = 0; i < reference.Length; i += 4)
            {
                dot += (double)reference[i] * signal[lag + i];
            }

            if (dot > best)
            {
                best = dot;
                bestLag = lag;
            }
        }

        return bestLag;
    }

    private static double[] Envelope(short[] samples, int hop)
    {
        var envelope = new double[samples.Length / hop];
        for (int i = 0; i < envelope.Length; i++)
        {
            double sum = 0;
            for (int j = 0; j < hop; j++)
            {
                double s = samples[(i * hop) + j];
                sum += s * s;
            }

            envelope[i] = Math.Sqrt(sum / hop);
        }

        return envelope;
    }

    private static double Correlation(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double meanA = 0, meanB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            meanA += a[i];
            meanB += b[i];
        }

        meanA /= a.Length;
        meanB /= b.Length;
        double dot = 0, normA = 0, normB = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (a[i] - meanA) * (b[i] - meanB);
            normA += (a[i] - meanA) * (a[i] - meanA);
            normB += (b[i] - meanB) * (b[i] - meanB);
        }

        return dot / Math.Sqrt((normA * normB) + 1e-12);
    }
}
