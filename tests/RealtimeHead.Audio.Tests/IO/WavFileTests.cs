using System.Buffers.Binary;
using RealtimeHead.Audio.IO;

namespace RealtimeHead.Audio.Tests.IO;

public sealed class WavFileTests
{
    private static readonly WavAudio Stereo = new(16_000, 2, [0f, 0.5f, -0.5f, 1f, -1f, 0.25f]);

    [Fact]
    public void Encode_Pcm16_KnownHeaderBytes()
    {
        var bytes = WavFile.Encode(new WavAudio(16_000, 1, [0.5f]));
        Assert.Equal(46, bytes.Length);
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal(38u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("WAVEfmt "u8.ToArray(), bytes[8..16]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));        // PCM
        Assert.Equal(32_000u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(28)));  // byte rate
        Assert.Equal(16384, BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44)));     // round(0.5 · 32767)
    }

    [Fact]
    public void RoundTrip_Pcm16_WithinQuantisation()
    {
        var decoded = WavFile.Decode(WavFile.Encode(Stereo, WavSampleFormat.Pcm16));
        Assert.Equal(16_000, decoded.SampleRate);
        Assert.Equal(2, decoded.Channels);
        Assert.Equal(3, decoded.Frames);
        for (var i = 0; i < Stereo.Samples.Length; i++) Assert.Equal(Stereo.Samples[i], decoded.Samples[i], 3);
    }

    [Fact]
    public void RoundTrip_Float32_Exact()
    {
        var decoded = WavFile.Decode(WavFile.Encode(Stereo, WavSampleFormat.Float32));
        Assert.Equal(Stereo.Samples, decoded.Samples);
    }

    [Fact]
    public void ToMono_Stereo_AveragesChannels()
    {
        Assert.Equal([0.25f, 0.25f, -0.375f], Stereo.ToMono());
    }

    [Fact]
    public void ReadWrite_File_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rh-wav-{Guid.NewGuid():N}.wav");
        try
        {
            WavFile.Write(path, Stereo, WavSampleFormat.Float32);
            Assert.Equal(Stereo.Samples, WavFile.Read(path).Samples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryParse_OddSizedChunkBeforeData_SkipsPaddingByte()
    {
        var plain = WavFile.Encode(new WavAudio(8000, 1, [0.5f, -0.5f]));
        // Insert a 3-byte LIST chunk (plus its pad byte) between 'fmt ' and 'data'.
        var list = new byte[] { (byte)'L', (byte)'I', (byte)'S', (byte)'T', 3, 0, 0, 0, 1, 2, 3, 0 };
        var bytes = plain[..36].Concat(list).Concat(plain[36..]).ToArray();
        Assert.True(WavFile.TryParse(bytes, out var audio, out var error), error);
        Assert.Equal(2, audio!.Frames);
    }

    [Fact]
    public void TryParse_Extensible16Bit_Reads()
    {
        var plain = WavFile.Encode(new WavAudio(8000, 1, [0.25f]));
        var fmt = new byte[40];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, 0xFFFE);
        plain.AsSpan(22, 14).CopyTo(fmt.AsSpan(2));                     // channels .. bits per sample
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);   // cbSize
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), 1);    // sub-format PCM
        var header = "RIFF\0\0\0\0WAVEfmt "u8.ToArray().Concat(BitConverter.GetBytes(40)).Concat(fmt);
        var bytes = header.Concat(plain[36..]).ToArray();
        Assert.True(WavFile.TryParse(bytes, out var audio, out var error), error);
        Assert.Equal(0.25f, audio!.Samples[0], 3);
    }

    [Fact]
    public void TryParse_DataSizeUnknown_TakesWhatTheFileHolds()
    {
        var bytes = WavFile.Encode(new WavAudio(8000, 1, [0.5f, 0.5f, 0.5f]));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(40), uint.MaxValue);
        Assert.True(WavFile.TryParse(bytes, out var audio, out _));
        Assert.Equal(3, audio!.Frames);
    }

    [Theory]
    [InlineData("", "not a RIFF/WAVE")]
    [InlineData("RIFF\0\0\0\0WAVX", "not a RIFF/WAVE")]
    [InlineData("RIFF\0\0\0\0WAVE", "no 'fmt ' chunk")]
    public void TryParse_BadHeader_ExplainsProblem(string text, string expected)
    {
        Assert.False(WavFile.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_NoDataChunk_ExplainsProblem()
    {
        var bytes = WavFile.Encode(new WavAudio(8000, 1, []))[..36];
        Assert.False(WavFile.TryParse(bytes, out _, out var error));
        Assert.Contains("no 'data' chunk", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_Unsupported8Bit_ExplainsProblem()
    {
        var bytes = WavFile.Encode(new WavAudio(8000, 1, [0f, 0f]));
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(34), 8);
        Assert.False(WavFile.TryParse(bytes, out _, out var error));
        Assert.Contains("unsupported encoding", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadFile_ThrowsInvalidDataNamingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rh-bad-{Guid.NewGuid():N}.wav");
        File.WriteAllText(path, "definitely not audio");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => WavFile.Read(path));
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TryParse_TruncatedAndMutatedInputs_NeverThrow()
    {
        var valid = WavFile.Encode(Stereo, WavSampleFormat.Float32);
        var random = new Random(42);
        var parsed = 0;
        for (var length = 0; length <= valid.Length; length++)
            if (WavFile.TryParse(valid.AsSpan(0, length), out _, out _)) parsed++;
        for (var trial = 0; trial < 2000; trial++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            WavFile.TryParse(bytes, out _, out _);
            var garbage = new byte[random.Next(0, 96)];
            random.NextBytes(garbage);
            WavFile.TryParse(garbage, out _, out _);
        }
        // Prefixes that end inside the data chunk still parse (a partial trailing frame is dropped); shorter ones do not.
        Assert.Equal(valid.Length - 44 + 1, parsed);
    }
}
