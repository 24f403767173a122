using RealtimeHead.Codecs.Opus;
using RealtimeHead.Codecs.Tests.TestSupport;

namespace RealtimeHead.Codecs.Tests.Opus;

public sealed class OpusRoundTripTests
{
    private const int Frame = OpusEncoder.SamplesPerFrame;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void EncodeDecode_Sine440_EnergyWithin1Db(int channels)
    {
        var input = TestSignals.Sine(440, 50 * Frame, channels);

        var (output, lookahead) = RoundTrip(input, channels);

        AssertEnergyWithin1Db(input, output, channels, lookahead);
    }

    [Fact]
    public void EncodeDecode_Chirp_EnergyWithin1Db()
    {
        var input = TestSignals.Chirp(200, 4000, 50 * Frame);

        var (output, lookahead) = RoundTrip(input, 1);

        AssertEnergyWithin1Db(input, output, 1, lookahead);
    }

    [Fact]
    public void Encode_Sine_PacketsFitTargetBitrate()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Bitrate = 24_000 });
        var input = TestSignals.Sine(440, 50 * Frame);

        var total = 0;
        for (var f = 0; f < 50; f++)
        {
            total += encoder.Encode(input.AsSpan(f * Frame, Frame)).Length;
        }

        // 50 packets of 20 ms = 1 s: about 3000 bytes at 24 kbit/s; allow VBR slack.
        Assert.InRange(total, 1500, 4500);
        Assert.Equal(24_000, encoder.Bitrate);
    }

    [Fact]
    public void Bitrate_Set_ReadsBack()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions());

        encoder.Bitrate = 48_000;

        Assert.Equal(48_000, encoder.Bitrate);
        Assert.Equal(312, encoder.Lookahead);
    }

    [Fact]
    public void Encode_SilenceWithDtx_EmitsTinyPackets()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Dtx = true });
        var silence = new short[Frame];

        var sizes = Enumerable.Range(0, 30).Select(_ => encoder.Encode(silence).Length).ToArray();

        // After a short hangover libopus sends 1-byte (TOC only) DTX packets (RFC 7587 §3.1.3).
        Assert.All(sizes[^10..], size => Assert.True(size <= 2, $"packet of {size} bytes"));
    }

    [Fact]
    public void Encode_WrongFrameLength_Throws()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Channels = 2 });

        Assert.Throws<ArgumentException>(() => encoder.Encode(new short[Frame]));
    }

    [Fact]
    public void Options_SeveralInvalid_ListsEveryProblem()
    {
        var options = new OpusEncoderOptions { Channels = 3, Bitrate = 100, Complexity = 11, ExpectedPacketLossPercent = -1 };

        var errors = options.GetErrors();
        var thrown = Assert.Throws<ArgumentException>(() => new OpusEncoder(options));

        Assert.Equal(4, errors.Count);
        Assert.Contains("Channels", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("ExpectedPacketLossPercent", thrown.Message, StringComparison.Ordinal);
        Assert.Single(new OpusDecoderOptions { Channels = 0 }.GetErrors());
    }

    [Fact]
    public void Encode_AfterDispose_ThrowsObjectDisposed()
    {
        var encoder = new OpusEncoder(new OpusEncoderOptions());
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new short[Frame]));
    }

    internal static (short[] Output, int Lookahead) RoundTrip(short[] input, int channels)
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Channels = channels, Bitrate = 64_000 });
        using var decoder = new OpusDecoder(new OpusDecoderOptions { Channels = channels });
        var frames = input.Length / (Frame * channels);
        var output = new short[input.Length];
        var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel * channels];

        for (var f = 0; f < frames; f++)
        {
            var packet = encoder.Encode(input.AsSpan(f * Frame * channels, Frame * channels));
            var result = decoder.Decode(packet, pcm);
            Assert.Equal(OpusDecodeStatus.Decoded, result.Status);
            Assert.Equal(Frame, result.SamplesPerChannel);
            pcm.AsSpan(0, Frame * channels).CopyTo(output.AsSpan(f * Frame * channels));
        }

        Assert.Equal(frames, decoder.DecodedPackets);
        return (output, encoder.Lookahead);
    }

    private static void AssertEnergyWithin1Db(short[] input, short[] output, int channels, int lookahead)
    {
        // Skip the first 100 ms (encoder start-up); compare input[n] with output[n + lookahead].
        var start = 4800 * channels;
        var count = input.Length - start - (Frame * channels);
        var inputEnergy = TestSignals.Energy(input, start, count);
        var outputEnergy = TestSignals.Energy(output, start + (lookahead * channels), count);
        var db = 10 * Math.Log10(outputEnergy / inputEnergy);

        Assert.InRange(db, -1, 1);

        // The codec delay is real: the first ~lookahead output samples are the decoder's silent pre-roll.
        var head = (lookahead - 60) * channels;
        Assert.True(TestSignals.Energy(output, 0, head) < 0.01 * TestSignals.Energy(input, 0, head));
    }
}
