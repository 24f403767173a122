using System.Buffers.Binary;

namespace RealtimeHead.Audio.IO;

/// <summary>Sample encoding of a WAV file this project writes.</summary>
public enum WavSampleFormat
{
    /// <summary>16-bit signed PCM (format tag 1).</summary>
    Pcm16,

    /// <summary>32-bit IEEE float (format tag 3).</summary>
    Float32,
}

/// <summary>Decoded audio: interleaved samples in [-1, 1].</summary>
/// <param name="SampleRate">Frames per second.</param>
/// <param name="Channels">Interleaved channels per frame.</param>
/// <param name="Samples">Interleaved samples, <see cref="Frames"/> × <see cref="Channels"/> long.</param>
public sealed record WavAudio(int SampleRate, int Channels, float[] Samples)
{
    /// <summary>Samples per channel.</summary>
    public int Frames => Channels == 0 ? 0 : Samples.Length / Channels;

    /// <summary>The mean of the channels (the samples themselves when already mono).</summary>
    public float[] ToMono()
    {
        if (Channels == 1) return Samples;
        var mono = new float[Frames];
        for (var f = 0; f < mono.Length; f++)
        {
            float sum = 0;
            for (var c = 0; c < Channels; c++) sum += Samples[f * Channels + c];
            mono[f] = sum / Channels;
        }
        return mono;
    }
}

/// <summary>
/// RIFF/WAVE reader and writer for tests and tools: reads 16-bit PCM and 32-bit float (also as
/// WAVE_FORMAT_EXTENSIBLE), writes either. The parser never throws on bad input (<see cref="TryParse"/>); the
/// reading helpers turn its error into an <see cref="InvalidDataException"/> that says what is wrong.
/// </summary>
public static class WavFile
{
    private const ushort FormatPcm = 1;
    private const ushort FormatFloat = 3;
    private const ushort FormatExtensible = 0xFFFE;

    /// <summary>Reads a WAV file; throws <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    public static WavAudio Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return TryParse(bytes, out var audio, out var error) ? audio! : throw new InvalidDataException($"{path}: {error}");
    }

    /// <summary>Decodes WAV bytes; throws <see cref="InvalidDataException"/> with the problem.</summary>
    public static WavAudio Decode(ReadOnlySpan<byte> data) =>
        TryParse(data, out var audio, out var error) ? audio! : throw new InvalidDataException(error);

    /// <summary>Decodes WAV bytes; on failure returns false with a message saying what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out WavAudio? audio, out string error)
    {
        audio = null;
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            error = "not a RIFF/WAVE file (the first 12 bytes are not 'RIFF', size, 'WAVE').";
            return false;
        }
        ushort format = 0, channels = 0, bitsPerSample = 0, blockAlign = 0;
        uint sampleRate = 0;
        var haveFormat = false;
        var position = 12;
        while (position + 8 <= data.Length)
        {
            var id = data.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(position + 4, 4));
            var body = position + 8;
            // Streaming writers leave the data size at 0 or 0xFFFFFFFF: take what the file holds.
            var available = (int)Math.Min(size, (uint)(data.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                if (available < 16)
                {
                    error = $"the 'fmt ' chunk is {available} bytes; at least 16 are needed.";
                    return false;
                }
                var fmt = data.Slice(body, available);
                format = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
                sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
                bitsPerSample = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
                if (format == FormatExtensible)
                {
                    if (available < 26)
                    {
                        error = "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is too short for its sub-format.";
                        return false;
                    }
                    format = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);   // first two bytes of the sub-format GUID
                }
                haveFormat = true;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!haveFormat)
                {
                    error = "the 'data' chunk comes before any 'fmt ' chunk.";
                    return false;
                }
                return TryDecodeSamples(data.Slice(body, available), format, channels, sampleRate, bitsPerSample, blockAlign, out audio, out error);
            }
            position = body + (int)Math.Min(size, (uint)(data.Length - body)) + (int)(size & 1);   // chunks are word-aligned
        }
        error = haveFormat ? "no 'data' chunk." : "no 'fmt ' chunk.";
        return false;
    }

    /// <summary>Writes <paramref name="audio"/> as a WAV file (samples clipped to [-1, 1] for PCM).</summary>
    public static void Write(string path, WavAudio audio, WavSampleFormat format = WavSampleFormat.Pcm16) =>
        File.WriteAllBytes(path, Encode(audio, format));

    /// <summary>Encodes <paramref name="audio"/> as WAV bytes.</summary>
    public static byte[] Encode(WavAudio audio, WavSampleFormat format = WavSampleFormat.Pcm16)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (audio.Channels <= 0 || audio.SampleRate <= 0) throw new ArgumentException("SampleRate and Channels must be positive.", nameof(audio));
        var bytesPerSample = format == WavSampleFormat.Pcm16 ? 2 : 4;
        var dataLength = audio.Samples.Length * bytesPerSample;
        var bytes = new byte[44 + dataLength];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(36 + dataLength));
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(span[20..], format == WavSampleFormat.Pcm16 ? FormatPcm : FormatFloat);
        BinaryPrimitives.WriteUInt16LittleEndian(span[22..], (ushort)audio.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)audio.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(span[28..], (uint)(audio.SampleRate * audio.Channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(span[32..], (ushort)(audio.Channels * bytesPerSample));
        BinaryPrimitives.WriteUInt16LittleEndian(span[34..], (ushort)(bytesPerSample * 8));
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[40..], (uint)dataLength);
        var samples = span[44..];
        for (var i = 0; i < audio.Samples.Length; i++)
        {
            if (format == WavSampleFormat.Pcm16)
            {
                var s = Math.Clamp(audio.Samples[i], -1f, 1f) * 32767f;
                BinaryPrimitives.WriteInt16LittleEndian(samples[(i * 2)..], (short)MathF.Round(s));
            }
            else
            {
                BinaryPrimitives.WriteSingleLittleEndian(samples[(i * 4)..], audio.Samples[i]);
            }
        }
        return bytes;
    }

    private static bool TryDecodeSamples(
        ReadOnlySpan<byte> data, ushort format, ushort channels, uint sampleRate, ushort bitsPerSample, ushort blockAlign,
        out WavAudio? audio, out string error)
    {
        audio = null;
        if (channels == 0 || sampleRate == 0 || sampleRate > 1_000_000)
        {
            error = $"implausible format: {channels} channels at {sampleRate} Hz.";
            return false;
        }
        var bytesPerSample = (format, bitsPerSample) switch
        {
            (FormatPcm, 16) => 2,
            (FormatFloat, 32) => 4,
            _ => 0,
        };
        if (bytesPerSample == 0)
        {
            error = $"unsupported encoding: format tag {format} with {bitsPerSample} bits per sample (16-bit PCM and 32-bit float are read).";
            return false;
        }
        if (blockAlign != channels * bytesPerSample)
        {
            error = $"block align {blockAlign} does not match {channels} channels of {bytesPerSample} bytes.";
            return false;
        }
        var frames = data.Length / blockAlign;   // a trailing partial frame (truncated file) is dropped
        var samples = new float[frames * channels];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = bytesPerSample == 2
                ? BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]) / 32768f
                : BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
        }
        audio = new WavAudio((int)sampleRate, channels, samples);
        error = string.Empty;
        return true;
    }
}
