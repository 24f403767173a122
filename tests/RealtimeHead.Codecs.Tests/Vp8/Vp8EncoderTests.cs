using RealtimeHead.Codecs.Imaging;
using RealtimeHead.Codecs.Tests.TestSupport;
using RealtimeHead.Codecs.Vp8;
using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Tests.Vp8;

public sealed class Vp8EncoderTests
{
    [Fact]
    public void EncodeDecode_MovingPattern256_PsnrAbove30Db()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 256, Height = 256, TargetBitrateKbps = 1000 });
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions());

        var psnrs = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var source = SyntheticVideo.Smooth(256, 256, i);
            var encoded = encoder.Encode(source);
            Assert.NotNull(encoded);
            Assert.Equal(source.MediaTimestamp, encoded.MediaTimestamp);

            var result = decoder.Decode(encoded.Data, encoded.MediaTimestamp);
            Assert.Equal(Vp8DecodeStatus.Decoded, result.Status);
            Assert.Equal((256, 256), (result.Frame!.Width, result.Frame.Height));
            Assert.Equal(source.MediaTimestamp, result.Frame.MediaTimestamp);
            psnrs.Add(Psnr.I420(source, result.Frame).Overall);
        }

        Assert.True(psnrs.Min() > 30, $"PSNR min {psnrs.Min():F1} dB, mean {psnrs.Average():F1} dB");
        Assert.Equal(30, encoder.FramesEncoded);
        Assert.Equal(1, encoder.KeyframesEncoded);
        Assert.Equal(30, decoder.DecodedFrames);
    }

    [Theory]
    [InlineData(130, 98)]
    [InlineData(97, 61)]
    public void EncodeDecode_OddSize_RoundTrips(int width, int height)
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = width, Height = height, TargetBitrateKbps = 600 });
        using var decoder = new Vp8Decoder(new Vp8DecoderOptions());

        VideoFrame? last = null;
        VideoFrame? lastSource = null;
        for (var i = 0; i < 10; i++)
        {
            lastSource = SyntheticVideo.Smooth(width, height, i);
            var encoded = encoder.Encode(lastSource)!;
            if (i == 0)
            {
                Assert.True(Vp8Bitstream.TryReadKeyframeSize(encoded.Data, out var w, out var h));
                Assert.Equal((width, height), (w, h));
            }

            last = decoder.Decode(encoded.Data).Frame;
        }

        Assert.NotNull(last);
        Assert.Equal((width, height), (last.Width, last.Height));
        Assert.True(Psnr.I420(lastSource!, last).Overall > 30);
    }

    [Fact]
    public void Encode_ForceKeyframe_ProducesKeyframeOnThatFrame()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 128, Height = 128 });

        var keyframes = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            var frame = SyntheticVideo.Smooth(128, 128, i);
            frame.ForceKeyframe = i == 7;
            if (i == 13)
            {
                encoder.RequestKeyframe();
            }

            var encoded = encoder.Encode(frame)!;
            Assert.Equal(encoded.IsKeyframe, Vp8Bitstream.IsKeyframe(encoded.Data));
            if (encoded.IsKeyframe)
            {
                keyframes.Add(i);
            }
        }

        Assert.Equal([0, 7, 13], keyframes);
        Assert.Equal(3, encoder.KeyframesEncoded);
    }

    [Fact]
    public void Encode_KeyframeMaxDistance_InsertsPeriodicKeyframes()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 64, Height = 64, KeyframeMaxDistance = 5 });

        var keyframes = Enumerable.Range(0, 16)
            .Where(i => encoder.Encode(SyntheticVideo.Smooth(64, 64, i))!.IsKeyframe)
            .ToArray();

        Assert.Equal([0, 5, 10, 15], keyframes);
    }

    [Fact]
    public void SetTargetBitrateKbps_Lowered_ShrinksFollowingFrames()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 256, Height = 256, TargetBitrateKbps = 1500 });
        var sizes = new List<int>();
        for (var i = 0; i < 80; i++)
        {
            if (i == 40)
            {
                encoder.SetTargetBitrateKbps(200);
            }

            sizes.Add(encoder.Encode(SyntheticVideo.Textured(256, 256, i))!.Data.Length);
        }

        var high = sizes.Skip(20).Take(20).Average();
        var low = sizes.Skip(60).Take(20).Average();

        // At 25 fps: 1500 kbit/s is 7500 bytes a frame, 200 kbit/s is 1000.
        Assert.True(low < high / 3, $"mean frame {high:F0} bytes at 1500 kbit/s, {low:F0} at 200 kbit/s");
        Assert.InRange(low, 500, 2000);
        Assert.Equal(200, encoder.TargetBitrateKbps);
    }

    [Fact]
    public void Encode_RepeatedTimestamp_StillEncodes()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 64, Height = 64 });
        var first = SyntheticVideo.Smooth(64, 64, 0);
        var second = SyntheticVideo.Smooth(64, 64, 1);
        second.MediaTimestamp = first.MediaTimestamp;

        Assert.NotNull(encoder.Encode(first));
        var encoded = encoder.Encode(second);

        Assert.NotNull(encoded);
        Assert.Equal(first.MediaTimestamp, encoded.MediaTimestamp);
    }

    [Fact]
    public void Encode_WrongSize_Throws()
    {
        using var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 64, Height = 64 });

        Assert.Throws<ArgumentException>(() => encoder.Encode(new VideoFrame(64, 66, 0)));
    }

    [Fact]
    public void Options_SeveralInvalid_ListsEveryProblem()
    {
        var options = new Vp8EncoderOptions { Width = 0, Height = 20_000, CpuUsed = 20, MinQuantizer = 40, MaxQuantizer = 10 };

        var thrown = Assert.Throws<ArgumentException>(() => new Vp8Encoder(options));

        Assert.Equal(4, options.GetErrors().Count);
        Assert.Contains("Width", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("MinQuantizer (40)", thrown.Message, StringComparison.Ordinal);
        Assert.Single(new Vp8DecoderOptions { Threads = 0 }.GetErrors());
    }

    [Fact]
    public void Encode_AfterDispose_ThrowsObjectDisposed()
    {
        var encoder = new Vp8Encoder(new Vp8EncoderOptions { Width = 64, Height = 64 });
        encoder.Dispose();

        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new VideoFrame(64, 64, 0)));
    }
}
