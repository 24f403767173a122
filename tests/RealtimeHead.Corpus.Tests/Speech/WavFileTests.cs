using RealtimeHead.Corpus.Speech;

namespace RealtimeHead.Corpus.Tests.Speech;

public sealed class WavFileTests
{
    [Fact]
    public void EncodeDecode_RoundTrip_PreservesSamplesAndRate()
    {
        short[] samples = [0, 1, -1, short.MaxValue, short.MinValue, 1234];
        var bytes = WavFile.Encode(samples, 16000);

        Assert.Equal(44 + 12, bytes.Length);
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.True(WavFile.TryDecode(bytes, out var decoded, out var rate));
        Assert.Equal(16000, rate);
        Assert.Equal(samples, decoded);
    }

    [Fact]
    public void TryDecode_TruncatedOrForeign_ReturnsFalse()
    {
        var bytes = WavFile.Encode(new short[100], 16000);
        Assert.False(WavFile.TryDecode(bytes[..30], out _, out _));
        Assert.False(WavFile.TryDecode(bytes[..50], out _, out _));
        Assert.False(WavFile.TryDecode("not a wav file at all"u8, out _, out _));
        bytes[20] = 3; // IEEE float format tag
        Assert.False(WavFile.TryDecode(bytes, out _, out _));
    }

    [Fact]
    public void TryDecode_RandomInput_NeverThrows()
    {
        var random = new Random(5);
        var accepted = 0;
        for (var i = 0; i < 500; i++)
        {
            var data = new byte[random.Next(0, 120)];
            random.NextBytes(data);
            if (i % 2 == 0 && data.Length >= 12)
            {
                "RIFF"u8.CopyTo(data);
                "WAVE"u8.CopyTo(data.AsSpan(8));
            }

            accepted += WavFile.TryDecode(data, out _, out _) ? 1 : 0;
        }

        Assert.Equal(0, accepted);
    }
}
