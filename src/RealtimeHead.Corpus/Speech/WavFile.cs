using System.Buffers.Binary;

namespace RealtimeHead.Corpus.Speech;

/// <summary>Canonical 44-byte-header RIFF/WAVE files with 16-bit PCM mono (the WAVE "fmt " chunk, format tag 1).</summary>
public static class WavFile
{
    /// <summary>Encodes <paramref name="samples"/> as a mono 16-bit PCM WAV file.</summary>
    public static byte[] Encode(ReadOnlySpan<short> samples, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        var data = samples.Length * 2;
        var bytes = new byte[44 + data];
        var span = bytes.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + data);
        "WAVEfmt "u8.CopyTo(span[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], data);
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (2 * i))..], samples[i]);
        }

        return bytes;
    }

    /// <summary>
    /// Reads a 16-bit PCM mono WAV, skipping chunks other than "fmt " and "data" (RIFF allows any order of
    /// extra chunks such as LIST). Returns false for anything else or for malformed data; never throws.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> file, out short[] samples, out int sampleRate)
    {
        samples = [];
        sampleRate = 0;
        if (file.Length < 12 || !file[..4].SequenceEqual("RIFF"u8) || !file[8..12].SequenceEqual("WAVE"u8))
        {
            return false;
        }

        var fmtSeen = false;
        var position = 12;
        while (position + 8 <= file.Length)
        {
            var id = file.Slice(position, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(file[(position + 4)..]);
            var body = position + 8;
            if (size > (uint)(file.Length - body))
            {
                return false;
            }

            var chunk = file.Slice(body, (int)size);
            if (id.SequenceEqual("fmt "u8))
            {
                if (chunk.Length < 16 || BinaryPrimitives.ReadUInt16LittleEndian(chunk) != 1
                    || BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]) != 1 || BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]) != 16)
                {
                    return false;
                }

                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(chunk[4..]);
                fmtSeen = sampleRate > 0;
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (!fmtSeen)
                {
                    return false;
                }

                samples = new short[chunk.Length / 2];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(chunk[(2 * i)..]);
                }

                return true;
            }

            position = body + (int)size + (int)(size & 1); // chunks are word-aligned
        }

        return false;
    }
}
