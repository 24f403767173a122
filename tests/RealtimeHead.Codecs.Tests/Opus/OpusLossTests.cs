using RealtimeHead.Codecs.Opus;
using RealtimeHead.Codecs.Tests.TestSupport;

namespace RealtimeHead.Codecs.Tests.Opus;

public sealed class OpusLossTests
{
    private const int Frame = OpusEncoder.SamplesPerFrame;
    private const int Frames = 50;

    [Fact]
    public void DecodeFec_DroppedPacket_RecoversBetterThanConcealment()
    {
        var input = TestSignals.SpeechLike(Frames * Frame);
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Bitrate = 32_000, InbandFec = true, ExpectedPacketLossPercent = 10 });
        var packets = Enumerable.Range(0, Frames).Select(f => encoder.Encode(input.AsSpan(f * Frame, Frame))).ToArray();
        var clean = DecodeWithLoss(packets, lost: -1, useFec: false, out _);

        // Opus keeps the spectrum rather than the exact waveform (SILK is a predictive coder), so align the
        // decoded stream to the original at the lag where the loss-free decode matches it best (≈ lookahead).
        var lag = BestLag(input, clean, encoder.Lookahead - 40, encoder.Lookahead + 40);

        double plcVsOriginal = 0, fecVsOriginal = 0, plcVsClean = 0, fecVsClean = 0;
        foreach (var lost in new[] { 10, 20, 25, 30, 40 })
        {
            var concealed = DecodeWithLoss(packets, lost, useFec: false, out var plcDecoder);
            var recovered = DecodeWithLoss(packets, lost, useFec: true, out var fecDecoder);
            var start = lost * Frame;
            plcVsOriginal += TestSignals.SquaredError(concealed, start, input, start - lag, Frame);
            fecVsOriginal += TestSignals.SquaredError(recovered, start, input, start - lag, Frame);
            plcVsClean += TestSignals.SquaredError(concealed, start, clean, start, Frame);
            fecVsClean += TestSignals.SquaredError(recovered, start, clean, start, Frame);

            Assert.Equal(1, plcDecoder.ConcealedFrames);
            Assert.Equal(0, plcDecoder.RecoveredFrames);
            Assert.Equal(1, fecDecoder.RecoveredFrames);
            Assert.Equal(Frames - 1, fecDecoder.DecodedPackets);
        }

        Assert.True(fecVsOriginal < 0.8 * plcVsOriginal, $"vs original: FEC {fecVsOriginal:E3}, PLC {plcVsOriginal:E3}");
        Assert.True(fecVsClean < 0.5 * plcVsClean, $"vs loss-free decode: FEC {fecVsClean:E3}, PLC {plcVsClean:E3}");
    }

    [Fact]
    public void DecodeFec_WithoutFecInStream_FallsBackToConcealment()
    {
        var input = TestSignals.SpeechLike(Frames * Frame);
        using var encoder = new OpusEncoder(new OpusEncoderOptions { InbandFec = false });
        var packets = Enumerable.Range(0, Frames).Select(f => encoder.Encode(input.AsSpan(f * Frame, Frame))).ToArray();

        var recovered = DecodeWithLoss(packets, 25, useFec: true, out _);
        var concealed = DecodeWithLoss(packets, 25, useFec: false, out _);

        // With no LBRR data libopus conceals, so both paths give the same samples.
        Assert.Equal(concealed.AsSpan(25 * Frame, Frame).ToArray(), recovered.AsSpan(25 * Frame, Frame).ToArray());
    }

    [Theory]
    [InlineData(1, 960)]
    [InlineData(2, 960)]
    [InlineData(1, 480)]
    public void Conceal_LostPacket_ReturnsRequestedLength(int channels, int samples)
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions { Channels = channels });
        using var decoder = new OpusDecoder(new OpusDecoderOptions { Channels = channels });
        var input = TestSignals.Sine(440, Frame, channels);
        var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel * channels];
        decoder.Decode(encoder.Encode(input), pcm);

        var result = decoder.Conceal(pcm, samples);

        Assert.Equal(new OpusDecodeResult(OpusDecodeStatus.Concealed, samples), result);
        Assert.Equal(1, decoder.ConcealedFrames);
        Assert.Equal(samples, decoder.LastPacketDuration);
    }

    [Fact]
    public void Conceal_FrameSizeNotMultipleOf2_5Ms_Throws()
    {
        using var decoder = new OpusDecoder(new OpusDecoderOptions());

        Assert.Throws<ArgumentException>(() => decoder.Conceal(new short[1000], 100));
    }

    private static int BestLag(short[] input, short[] decoded, int minLag, int maxLag)
    {
        var best = minLag;
        var bestError = double.MaxValue;
        for (var lag = minLag; lag <= maxLag; lag++)
        {
            var error = TestSignals.SquaredError(decoded, 4800 + lag, input, 4800, 30_000);
            if (error < bestError)
            {
                (best, bestError) = (lag, error);
            }
        }

        return best;
    }

    private static short[] DecodeWithLoss(byte[][] packets, int lost, bool useFec, out OpusDecoder decoder)
    {
        decoder = new OpusDecoder(new OpusDecoderOptions());
        var output = new short[packets.Length * Frame];
        var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel];
        for (var f = 0; f < packets.Length; f++)
        {
            var result = f == lost
                ? (useFec ? decoder.DecodeFec(packets[f + 1], pcm, Frame) : decoder.Conceal(pcm, Frame))
                : decoder.Decode(packets[f], pcm);
            Assert.Equal(Frame, result.SamplesPerChannel);
            pcm.AsSpan(0, Frame).CopyTo(output.AsSpan(f * Frame));
        }

        decoder.Dispose();
        return output;
    }
}
