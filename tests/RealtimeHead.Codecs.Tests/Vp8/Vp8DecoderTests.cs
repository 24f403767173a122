using RealtimeHead.Codecs.Tests.TestSupport;
using RealtimeHead.Codecs.Vp8;

namespace RealtimeHead.Codecs.Tests.Vp8;

public sealed class Vp8DecoderTests
{
    [Fact]
    public void Decode_GarbageFirstFrame_RejectedAndCounted()
    {
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions());

        // Frame tag says keyframe (bit 0 clear) and the start code is right, but the rest is nonsense.
        byte[] garbage = [0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x00, 0x01, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef];

        var result = decoder.Decode(garbage);

        Assert.Equal(Vp8DecodeStatus.Corrupt, result.Status);
        Assert.Null(result.Frame);
        Assert.Equal(1, decoder.CorruptFrames);
        Assert.True(decoder.NeedsKeyframe);
    }

    [Fact]
    public void Decode_TruncatedKeyframe_Rejected()
    {
        var (keyframe, _) = EncodeStream(2);
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions());

        var result = decoder.Decode(keyframe.AsSpan(0, keyframe.Length / 3));

        Assert.Equal(Vp8DecodeStatus.Corrupt, result.Status);
        Assert.Equal(1, decoder.CorruptFrames);
    }

    [Fact]
    public void Decode_EmptyFrame_Rejected()
    {
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions());

        Assert.Equal(Vp8DecodeStatus.Corrupt, decoder.Decode([]).Status);
        Assert.Equal(1, decoder.CorruptFrames);
    }

    [Fact]
    public void Decode_InterFrameBeforeKeyframe_WaitsForKeyframe()
    {
        var (keyframe, interFrames) = EncodeStream(3);
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions());

        var skipped = decoder.Decode(interFrames[0]);
        var decoded = decoder.Decode(keyframe);

        Assert.Equal(Vp8DecodeStatus.WaitingForKeyframe, skipped.Status);
        Assert.Equal(1, decoder.SkippedFrames);
        Assert.Equal(Vp8DecodeStatus.Decoded, decoded.Status);
        Assert.False(decoder.NeedsKeyframe);
    }

    [Fact]
    public void Decode_RandomlyCorruptedStream_NeverThrowsAndRecoversOnKeyframe()
    {
        var (keyframe, interFrames) = EncodeStream(30);
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions());
        var random = new Random(424242);
        var results = new List<Vp8DecodeStatus>();

        for (var round = 0; round < 20; round++)
        {
            foreach (var original in interFrames.Prepend(keyframe))
            {
                var damaged = (byte[])original.Clone();
                for (var flips = random.Next(1, 8); flips > 0; flips--)
                {
                    damaged[random.Next(damaged.Length)] ^= (byte)random.Next(1, 256);
                }

                var length = random.Next(4) == 0 ? random.Next(1, damaged.Length + 1) : damaged.Length;
                var result = decoder.Decode(damaged.AsSpan(0, length));
                Assert.Equal(result.Status == Vp8DecodeStatus.Decoded, result.Frame is not null);
                results.Add(result.Status);
            }
        }

        Assert.Equal(
            results.Count,
            decoder.DecodedFrames + decoder.CorruptFrames + decoder.SkippedFrames + results.Count(s => s == Vp8DecodeStatus.NoPicture));
        Assert.True(decoder.CorruptFrames > 0);

        // A clean keyframe brings the decoder back.
        var recovered = decoder.Decode(keyframe);
        Assert.Equal(Vp8DecodeStatus.Decoded, recovered.Status);
        Assert.Equal((160, 120), (recovered.Frame!.Width, recovered.Frame.Height));
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrow()
    {
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions { MaxWidth = 320, MaxHeight = 240 });
        var random = new Random(99);

        for (var i = 0; i < 500; i++)
        {
            var data = new byte[random.Next(1, 300)];
            random.NextBytes(data);
            if (i % 2 == 0 && data.Length >= 10)
            {
                // Make half of them look like keyframes so they reach libvpx.
                data[0] &= 0xfe;
                (data[3], data[4], data[5]) = ((byte)0x9d, (byte)0x01, (byte)0x2a);
            }

            _ = decoder.Decode(data);
        }

        Assert.Equal(500, decoder.DecodedFrames + decoder.CorruptFrames + decoder.SkippedFrames);
        Assert.True(decoder.CorruptFrames > 100);
    }

    [Fact]
    public void Decode_KeyframeLargerThanLimit_RejectedBeforeLibvpx()
    {
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions { MaxWidth = 1920, MaxHeight = 1088 });

        // A keyframe header claiming 16383x16383: would make libvpx allocate about 400 MB per buffer.
        byte[] huge = [0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0xff, 0x3f, 0xff, 0x3f, 0, 0, 0, 0];

        var result = decoder.Decode(huge);

        Assert.Equal(Vp8DecodeStatus.Corrupt, result.Status);
        Assert.Equal(1, decoder.CorruptFrames);
    }

    [Theory]
    [InlineData(new byte[] { 0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x41 }, true, 640, 480)]
    [InlineData(new byte[] { 0x51, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01 }, false, 0, 0)] // inter frame
    [InlineData(new byte[] { 0x50, 0x42, 0x00, 0x9d, 0x01, 0x2b, 0x80, 0x02, 0xe0, 0x01 }, false, 0, 0)] // bad start code
    [InlineData(new byte[] { 0x50, 0x42, 0x00, 0x9d, 0x01 }, false, 0, 0)] // truncated
    public void TryReadKeyframeSize_Headers_ReadsRfc6386Fields(byte[] data, bool expected, int width, int height)
    {
        // RFC 6386 §9.1: 14-bit sizes; the top 2 bits (0x41 → scale 1) are the scaling mode.
        Assert.Equal(expected, Vp8Bitstream.TryReadKeyframeSize(data, out var w, out var h));
        Assert.Equal((width, height), (w, h));
    }

    private static (byte[] Keyframe, List<byte[]> InterFrames) EncodeStream(int frames)
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 160, Height = 120, TargetBitrateKbps = 400 });
        var encoded = Enumerable.Range(0, frames).Select(i => encoder.Encode(SyntheticVideo.Smooth(160, 120, i))!.Data).ToList();
        return (encoded[0], encoded.Skip(1).ToList());
    }
}
