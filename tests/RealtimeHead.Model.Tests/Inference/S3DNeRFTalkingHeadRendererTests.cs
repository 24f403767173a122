using RealtimeHead.Model.Inference;
using RealtimeHead.Model.Tests.Assembly;
using RealtimeHead.Rendering;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Inference;

[Collection(Training.TorchRngCollection.Name)]
public sealed class S3DNeRFTalkingHeadRendererTests
{
    private static readonly S3DNeRFConfig Config = AssemblyTestData.Small;

    private static byte[] Portrait(int seed)
    {
        var random = new Random(seed);
        var rgb = new byte[32 * 32 * 3];
        random.NextBytes(rgb);
        return rgb;
    }

    private static float[] Window(float level) => Enumerable.Repeat(level, Config.AudioWindow * Config.AudioFeatureDim).ToArray();

    [Fact]
    public void Render_TwoPortraitsThreeQualities_ReturnsRgb24FramesInOrder()
    {
        using var renderer = S3DNeRFModelFactory.CreateRenderer(config: Config, seed: 5);
        Assert.Equal(32, renderer.FrameSize);
        Assert.Equal(Config.AudioWindow, renderer.AudioWindowFrames);
        Assert.Equal(Config.AudioFeatureDim, renderer.AudioFeatureDim);
        using var alice = renderer.EncodePortrait("alice", Portrait(1), 32, 32);
        using var bob = renderer.EncodePortrait("bob", Portrait(2), 32, 32);
        Assert.Equal("bob", bob.PortraitId);

        var frames = renderer.Render([
            new RenderRequest(alice, Window(0.1f), HeadPose.Frontal, RenderQuality.Full),
            new RenderRequest(bob, Window(0.7f), new HeadPose(0.2f, -0.1f, 0.05f), RenderQuality.NoSuperResolution),
            new RenderRequest(alice, Window(0.1f), HeadPose.Frontal, RenderQuality.LowResolution),
            new RenderRequest(alice, Window(0.1f), HeadPose.Frontal, RenderQuality.Full),
        ]);

        Assert.Equal(4, frames.Count);
        Assert.All(frames, f => Assert.Equal((32, 32, 32 * 32 * 3), (f.Width, f.Height, f.Rgb.Length)));
        Assert.Equal(frames[0].Rgb, frames[3].Rgb);            // same request, same frame
        Assert.NotEqual(frames[0].Rgb, frames[2].Rgb);         // another rung renders differently
    }

    [Fact]
    public void Render_SameRequest_MatchesInferenceApi()
    {
        using var renderer = S3DNeRFModelFactory.CreateRenderer(config: Config, seed: 6);
        var rgb = Portrait(3);
        using var portrait = (PortraitEncoding)renderer.EncodePortrait("p", rgb, 32, 32);
        var frame = renderer.Render([new RenderRequest(portrait, Window(0.3f), new HeadPose(0.1f, 0f, 0f), RenderQuality.Full)])[0];

        using var scope = NewDisposeScope();
        var audio = tensor(Window(0.3f), [Config.AudioWindow, Config.AudioFeatureDim]);
        var pose = RealtimeHead.Model.Camera.HeadPose.LookAt(0.1f, 0f, 0f, Config.CameraDistance)[0];
        var expected = renderer.Inference.Render([new FrameRequest(portrait, audio, pose)]);
        var bytes = expected.add(1).mul(127.5).round().clamp(0, 255).to(ScalarType.Byte).permute(0, 2, 3, 1).contiguous().data<byte>();
        Assert.Equal(bytes, frame.Rgb);
    }

    [Fact]
    public void EncodeAndRender_BadInputs_ThrowClearErrors()
    {
        using var renderer = S3DNeRFModelFactory.CreateRenderer(config: Config, seed: 7);
        Assert.Contains("64x64, expected 32x32", Assert.Throws<ArgumentException>(() => renderer.EncodePortrait("x", new byte[64 * 64 * 3], 64, 64)).Message);
        Assert.Contains("expected 3072", Assert.Throws<ArgumentException>(() => renderer.EncodePortrait("x", new byte[32 * 32 * 4], 32, 32)).Message);
        using var portrait = renderer.EncodePortrait("p", Portrait(4), 32, 32);
        var shortWindow = Assert.Throws<ArgumentException>(() => renderer.Render(new[] { new RenderRequest(portrait, new float[10], HeadPose.Frontal, RenderQuality.Full) }));
        Assert.Contains("10 values, expected 48", shortWindow.Message);
        var nan = Window(0.5f);
        nan[7] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => renderer.Render(new[] { new RenderRequest(portrait, nan, HeadPose.Frontal, RenderQuality.Full) })).Message);
    }

    [Fact]
    public void LoadDefault_SameSeed_SameWeights()
    {
        using var a = S3DNeRFModelFactory.LoadDefault(config: Config, seed: 9);
        using var b = S3DNeRFModelFactory.LoadDefault(config: Config, seed: 9);
        using var scope = NewDisposeScope();
        var left = a.state_dict();
        var right = b.state_dict();
        Assert.Equal(left.Keys, right.Keys);
        Assert.All(left, entry => Assert.Equal(0f, entry.Value.sub(right[entry.Key]).abs().max().item<float>()));
        Assert.False(a.training);
    }
}
