using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Sync;

namespace RealtimeHead.Evaluation.Tests.Sync;

[Collection(TorchCollection.Name)]
public sealed class SyncTrainingTests(TinyCorpus corpus)
{
    [Fact]
    public void Train_FewStepsOnTinyCorpus_ScoresHeldOutClipAndRoundTrips()
    {
        var result = SyncTraining.Train(corpus.Reader, new SyncTrainingOptions { Steps = 15, BatchSize = 8 });
        using var network = result.Network;

        Assert.True(result.DisjointIdentities);
        Assert.Equal(1, result.HeldOutClips);
        Assert.True(double.IsFinite(result.FinalLoss) && result.FinalLoss >= 0);
        Assert.True(result.HeldOutConfidence >= 0);

        var path = corpus.TempPath("sync.safetensors");
        network.Save(path);
        using var loaded = SyncNetwork.Load(path);
        var clip = ClipData.Load(corpus.Reader, IdentitySplit.Of(corpus.Reader.Manifest).HeldOut[0]);
        var (v1, a1) = network.EmbedClip(clip.Frames, clip.Landmarks, clip.Features);
        var (v2, a2) = loaded.EmbedClip(clip.Frames, clip.Landmarks, clip.Features);
        Assert.Equal(clip.FrameCount - 4, v1.Length);
        Assert.Equal(v1[3], v2[3]);
        Assert.Equal(a1[7], a2[7]);
        Assert.Equal(1, Math.Sqrt(v1[0].Sum(x => (double)x * x)), 4);
    }

    [Fact]
    public void EmbedClip_FewerThanFiveFrames_NoWindows()
    {
        using var network = new SyncNetwork();
        var clip = ClipData.Load(corpus.Reader, corpus.Reader.Manifest.Clips[0], maxFrames: 4);

        var (video, audio) = network.EmbedClip(clip.Frames, clip.Landmarks, clip.Features);

        Assert.Empty(video);
        Assert.Empty(audio);
    }

    [Fact]
    public void Load_NotASyncFile_ThrowsInvalidData()
    {
        var path = corpus.TempPath("lm-for-sync.safetensors");
        using (var regressor = new RealtimeHead.Evaluation.Landmarks.LandmarkRegressor()) regressor.Save(path);

        Assert.Throws<InvalidDataException>(() => SyncNetwork.Load(path));
    }
}
