using RealtimeHead.Model.Inference;
using RealtimeHead.Model.Tests.Assembly;
using RealtimeHead.Rendering;
using static RealtimeHead.Torch.torch;
using CameraPose = RealtimeHead.Model.Camera.HeadPose;

namespace RealtimeHead.Model.Tests.Inference;

public sealed class S3DNeRFInferenceTests
{
    private static readonly S3DNeRFConfig Config = AssemblyTestData.Small;

    [Theory]
    [InlineData(DeformationVariant.CrossModal)]
    [InlineData(DeformationVariant.None)]
    public void Render_MixedPortraitBatch_MatchesUncachedForward(DeformationVariant variant)
    {
        manual_seed(10);
        using var scope = NewDisposeScope();
        var config = Config with { Deformation = variant };
        using var model = new S3DNeRF(config);
        using var inference = new S3DNeRFInference(model);
        var portraits = AssemblyTestData.Images(config, 2);
        var sourcePoses = AssemblyTestData.Poses(config, 2);
        var audio = AssemblyTestData.Audio(config, 3);
        var targetPoses = AssemblyTestData.Poses(config, 3);
        using var first = inference.Encode(portraits.narrow(0, 0, 1), sourcePoses.narrow(0, 0, 1), "a");
        using var second = inference.Encode(portraits.narrow(0, 1, 1), sourcePoses.narrow(0, 1, 1), "b");
        // Items of different portraits, one portrait twice, interleaved.
        var owners = new[] { second, first, second };
        var requests = owners.Select((p, i) => new FrameRequest(p, audio[i], targetPoses[i])).ToArray();

        var cached = inference.Render(requests);
        var again = inference.Render(requests); // the concatenated portrait batch is reused

        var index = tensor(new long[] { 1, 0, 1 });
        S3DNeRFOutput uncached;
        using (no_grad())
        {
            uncached = model.forward(portraits.index_select(0, index), sourcePoses.index_select(0, index), audio, targetPoses);
        }
        Assert.Equal(new long[] { 3, 3, 32, 32 }, cached.shape);
        Assert.True(cached.sub(uncached.Fine!).abs().max().item<float>() < 1e-5f);
        Assert.Equal(0f, again.sub(cached).abs().max().item<float>());
        uncached.Dispose();
    }

    [Fact]
    public void Render_QualityRungs_DegradeAsDocumented()
    {
        manual_seed(11);
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        using var inference = new S3DNeRFInference(model);
        using var portrait = inference.Encode(AssemblyTestData.Images(Config, 1));
        var audio = AssemblyTestData.Audio(Config, 1)[0];
        var pose = CameraPose.Frontal(Config)[0];

        var frames = inference.Render([
            new FrameRequest(portrait, audio, pose, RenderQuality.NoSuperResolution),
            new FrameRequest(portrait, audio, pose, RenderQuality.Full),
            new FrameRequest(portrait, audio, pose, RenderQuality.LowResolution),
        ]);

        Assert.Equal(new long[] { 3, 3, 32, 32 }, frames.shape);
        using (no_grad())
        {
            using var conditioning = model.Condition(portrait.Features, audio.unsqueeze(0));
            using var full = model.Render(portrait.Features, conditioning, pose.unsqueeze(0));
            using var half = model.Render(portrait.Features, conditioning, pose.unsqueeze(0), superResolve: false, halfResolution: true);
            Assert.Equal(new long[] { 1, 3 + Config.RenderFeatureChannels, 8, 8 }, half.Coarse.shape);
            Assert.True(frames[0].sub(model.UpsampleCoarse(full.Coarse)[0]).abs().max().item<float>() < 1e-6f);
            Assert.True(frames[1].sub(full.Fine![0]).abs().max().item<float>() < 1e-6f);
            Assert.True(frames[2].sub(model.UpsampleCoarse(half.Coarse)[0]).abs().max().item<float>() < 1e-6f);
        }
    }

    [Fact]
    public void Render_SmallPointChunks_SameFramesAsOneChunk()
    {
        manual_seed(12);
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        using var inference = new S3DNeRFInference(model);
        using var portrait = inference.Encode(AssemblyTestData.Images(Config, 1));
        var audio = AssemblyTestData.Audio(Config, 2);
        var poses = AssemblyTestData.Poses(Config, 2);
        var requests = new[] { new FrameRequest(portrait, audio[0], poses[0]), new FrameRequest(portrait, audio[1], poses[1]) };

        var whole = inference.Render(requests);
        inference.MaxPointsPerChunk = 2 * 8 * 37; // 37 rays of 8 samples per chunk: the last chunk is partial
        var chunked = inference.Render(requests);

        Assert.True(whole.sub(chunked).abs().max().item<float>() < 1e-6f);
        Assert.Throws<ArgumentOutOfRangeException>(() => inference.MaxPointsPerChunk = 0);
    }

    [Fact]
    public void Render_DisposedEncoding_Throws()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        using var inference = new S3DNeRFInference(model);
        var portrait = inference.Encode(AssemblyTestData.Images(Config, 1), null, "gone");
        portrait.Dispose();
        var error = Assert.Throws<ObjectDisposedException>(() =>
            inference.Render(new[] { new FrameRequest(portrait, AssemblyTestData.Audio(Config, 1)[0], CameraPose.Frontal(Config)[0]) }));
        Assert.Contains("gone", error.Message);
    }

    [Fact]
    public void Render_BadAudioOrPose_ThrowsNamingTheItem()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        using var inference = new S3DNeRFInference(model);
        using var portrait = inference.Encode(AssemblyTestData.Images(Config, 1));
        var audio = AssemblyTestData.Audio(Config, 1)[0];
        var pose = CameraPose.Frontal(Config)[0];

        var shortWindow = Assert.Throws<ArgumentException>(() => inference.Render(new[] { new FrameRequest(portrait, audio, pose), new FrameRequest(portrait, audio.narrow(0, 0, 4), pose) }));
        Assert.Contains("batch[1]", shortWindow.Message);
        Assert.Contains("[8, 6]", shortWindow.Message);

        var nan = audio.clone();
        nan[2, 2] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => inference.Render(new[] { new FrameRequest(portrait, nan, pose) })).Message);

        var badPose = Assert.Throws<ArgumentException>(() => inference.Render(new[] { new FrameRequest(portrait, audio, pose.narrow(0, 0, 3)) }));
        Assert.Contains("4x4", badPose.Message);

        var badPortrait = Assert.Throws<ArgumentException>(() => inference.Encode(rand([1, 1, 32, 32])));
        Assert.Contains("1 channels, expected 3", badPortrait.Message);
    }
}
