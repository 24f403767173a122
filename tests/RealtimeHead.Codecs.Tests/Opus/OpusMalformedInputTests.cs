using RealtimeHead.Codecs.Opus;
using RealtimeHead.Codecs.Tests.TestSupport;

namespace RealtimeHead.Codecs.Tests.Opus;

public sealed class OpusMalformedInputTests
{
    // Each breaks a framing rule of RFC 6716 §3.2 (TOC byte: config(5) s(1) c(2)).
    [Theory]
    [InlineData(new byte[] { 0x01, 0x00 })] // code 1: two equal frames need an even payload (§3.2.3, R3)
    [InlineData(new byte[] { 0x02, 0xFB })] // code 2: first frame says 251 bytes, none follow (§3.2.4, R4)
    [InlineData(new byte[] { 0x02, 0xFC })] // code 2: two-byte length truncated (§3.2.1)
    [InlineData(new byte[] { 0x03 })] // code 3 without its frame-count byte (§3.2.5)
    [InlineData(new byte[] { 0x03, 0x00 })] // code 3 with zero frames (§3.2.5, R5)
    [InlineData(new byte[] { 0x03, 0x3F })] // code 3: 63 × 10 ms exceeds 120 ms (§3.2.5, R5)
    [InlineData(new byte[] { })] // empty: not a packet (concealment is asked for explicitly)
    public void Decode_MalformedPacket_ReturnsCorruptAndCounts(byte[] packet)
    {
        using var decoder = new OpusDecoder(new OpusDecoderOptions());
        var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel];

        var result = decoder.Decode(packet, pcm);

        Assert.Equal(OpusDecodeStatus.Corrupt, result.Status);
        Assert.False(result.Succeeded);
        Assert.True(result.ErrorCode < 0);
        Assert.Equal(1, decoder.CorruptPackets);
        Assert.Equal(0, decoder.DecodedPackets);
    }

    [Fact]
    public void Decode_PacketLongerThanOutput_ReturnsCorrupt()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions());
        using var decoder = new OpusDecoder(new OpusDecoderOptions());
        var packet = encoder.Encode(TestSignals.Sine(440, OpusEncoder.SamplesPerFrame));

        var result = decoder.Decode(packet, new short[480]);

        Assert.Equal(OpusDecodeStatus.Corrupt, result.Status);
        Assert.Equal(-2, result.ErrorCode); // OPUS_BUFFER_TOO_SMALL
    }

    [Fact]
    public void DecodeFec_MalformedNextPacket_ReturnsCorrupt()
    {
        using var decoder = new OpusDecoder(new OpusDecoderOptions());

        var result = decoder.DecodeFec([0x03, 0x00], new short[960]);

        Assert.Equal(OpusDecodeStatus.Corrupt, result.Status);
        Assert.Equal(1, decoder.CorruptPackets);
        Assert.Equal(0, decoder.RecoveredFrames);
    }

    [Fact]
    public void Decode_RandomPackets_NeverThrowAndEveryOneIsCounted()
    {
        using var encoder = new OpusEncoder(new OpusEncoderOptions());
        using var decoder = new OpusDecoder(new OpusDecoderOptions { Channels = 2 });
        var random = new Random(20240611);
        var pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel * 2];
        const int count = 2000;

        for (var i = 0; i < count; i++)
        {
            var packet = new byte[random.Next(1, 400)];
            random.NextBytes(packet);
            var result = decoder.Decode(packet, pcm);
            Assert.Equal(result.Succeeded, result.SamplesPerChannel > 0);
        }

        Assert.Equal(count, decoder.DecodedPackets + decoder.CorruptPackets);
        Assert.InRange(decoder.CorruptPackets, 1, count - 1);

        // The decoder keeps working on valid input afterwards.
        var valid = encoder.Encode(TestSignals.Sine(440, OpusEncoder.SamplesPerFrame));
        Assert.Equal(OpusDecodeStatus.Decoded, decoder.Decode(valid, pcm).Status);
    }
}
