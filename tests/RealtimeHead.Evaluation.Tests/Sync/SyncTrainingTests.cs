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
    public void Train_200StepsOnTinyCorpus_LossWellBelowChanceAndShiftFound()
    {
        // A collapsed network (every candidate equally likely) sits at ln(1 + Negatives) = 1.609; the contrastive loss
        // this replaced never left its plateau. The training clip is 1 s, so this tests that the loss can be lowered at
        // all, not generalisation (the held-out figures of a real corpus do that).
        var options = new SyncTrainingOptions { Steps = 200, BatchSize = 8 };

        var result = SyncTraining.Train(corpus.Reader, options);
        using var network = result.Network;

        var chance = Math.Log(1 + options.Negatives);
        Assert.True(result.FinalLoss < 0.6 * chance, $"final loss {result.FinalLoss:F3}, chance {chance:F3}");
        Assert.Equal("4", network.Metadata["negatives"]);

        // On the clip it learned, audio windows moved 4 frames late come back as SyncNet's offset −4.
        var clip = ClipData.Load(corpus.Reader, IdentitySplit.Of(corpus.Reader.Manifest).Training[0]);
        var (video, audio) = network.EmbedClip(clip.Frames, clip.Landmarks, clip.Features);
        var late = Enumerable.Range(0, audio.Length).Select(t => audio[Math.Max(t - 4, 0)]).ToArray();
        Assert.Equal(0, SyncOffsetEstimator.Estimate(video, audio).Offset);
        Assert.Equal(-4, SyncOffsetEstimator.Estimate(video, late).Offset);
    }

    [Fact]
    public void Standardise_Window_ZeroMeanUnitDeviation()
    {
        var window = Enumerable.Range(0, 100).Select(i => 0.2f + 0.004f * i).ToArray();

        SyncNetwork.Standardise(window);

        Assert.Equal(0, window.Average(x => (double)x), 5);
        Assert.Equal(1, Math.Sqrt(window.Average(x => (double)x * x)), 4);
        Assert.True(window[99] > window[0]);
    }

    [Fact]
    public void Standardise_FlatWindow_OnlyCentred()
    {
        var window = Enumerable.Repeat(0.7f, 10).ToArray();

        SyncNetwork.Standardise(window);

        Assert.All(window, x => Assert.Equal(0, x, 6));
    }

    [Fact]
    public void VideoInput_DarkerCopyOfAFrame_SameInput()
    {
        // Per-window standardisation removes a global brightness and contrast change (lighting, skin tone).
        var clip = ClipData.Load(corpus.Reader, corpus.Reader.Manifest.Clips[0], maxFrames: 5);
        var darker = clip.Frames.Select(f =>
        {
            var copy = new RealtimeHead.Imaging.RgbImage(f.Width, f.Height);
            for (var i = 0; i < f.Pixels.Length; i++) copy.Pixels[i] = (byte)(f.Pixels[i] / 2);
            return copy;
        }).ToArray();

        var original = SyncNetwork.VideoInput(clip.Frames, clip.Landmarks, 0);
        var dimmed = SyncNetwork.VideoInput(darker, clip.Landmarks, 0);

        Assert.Equal(original.Length, dimmed.Length);
        Assert.True(original.Zip(dimmed).Max(p => Math.Abs(p.First - p.Second)) < 0.05f);
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
