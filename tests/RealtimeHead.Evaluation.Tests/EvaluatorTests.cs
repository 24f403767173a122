using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Landmarks;
using RealtimeHead.Evaluation.Rendering;
using RealtimeHead.Evaluation.Sync;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Evaluation.Tests;

[Collection(TorchCollection.Name)]
public sealed class EvaluatorTests(TinyCorpus corpus)
{
    [Fact]
    public void Run_GroundTruthAsTheMethod_PerfectImageScoresAndTheGroundTruthsOwnCpbdAndSync()
    {
        manual_seed(5);
        using var landmarks = new LandmarkRegressor();
        using var sync = new SyncNetwork();
        landmarks.eval();
        sync.eval();
        var evaluator = new Evaluator(corpus.Reader, new EvaluationOptions { Clips = 1, MaxFramesPerClip = 12 }, landmarks, sync);

        var report = evaluator.Run([new GroundTruthClipRenderer(64, "copy of the ground truth")]);

        Assert.Equal(2, report.Rows.Count);
        var (truth, copy) = (report.Rows[0], report.Rows[1]);
        foreach (var row in report.Rows)
        {
            Assert.Equal(double.PositiveInfinity, row.Psnr);
            Assert.Equal(1, row.Ssim, 9);
            Assert.Equal(0, row.FaceLmd);
            Assert.Equal(0, row.MouthLmd);
            Assert.Equal(11, row.Frames);   // frame 0, the source, is not scored
        }
        Assert.Equal(truth.Cpbd, copy.Cpbd);
        Assert.Equal(truth.SyncConfidence, copy.SyncConfidence);
        Assert.InRange(truth.Cpbd, 0, 1);
        Assert.True(report.HeldOutIdentities);
        Assert.Equal(["syn0001_00"], report.ClipIds);

        var markdown = report.ToMarkdown();
        Assert.Contains("| Ground truth | ∞ | 1.0000 | 0.000 | 0.000 |", markdown);
        Assert.Contains("| copy of the ground truth | ∞ | 1.0000 | 0.000 | 0.000 |", markdown);
        Assert.Contains("measured at 64x64", markdown);
    }

    [Fact]
    public void Run_StillAvatarBaseline_ScoresFrameZeroPerfectlyAndTheMovingFramesWorse()
    {
        var options = new EvaluationOptions { Clips = 1, MaxFramesPerClip = 12 };
        var baseline = new SourceFrameClipRenderer(64);

        var report = new Evaluator(corpus.Reader, options).Run([baseline]);

        var still = report.Rows[1];
        Assert.Equal("Source frame repeated (still avatar)", still.Name);
        Assert.Equal(11, still.Frames);
        // Frame 0 (its own source, PSNR ∞) is not scored; the head and mouth move in the others, so the mean over frames
        // is finite and the SSIM below 1.
        Assert.True(double.IsFinite(still.Psnr) && still.Psnr > 10, $"PSNR {still.Psnr}");
        Assert.InRange(still.Ssim, 0.3, 0.9999);
        Assert.True(double.IsNaN(still.Fps));
        var data = ClipData.Load(corpus.Reader, corpus.Reader.Manifest.Clips.Single(c => c.Id == report.ClipIds[0]), 12);
        var frames = baseline.Render(data).Frames;
        Assert.All(frames, f => Assert.Equal(frames[0].Pixels, f.Pixels));
    }

    [Fact]
    public void Run_WithoutEvaluationNetworks_LmdAndSyncAreNotAvailable()
    {
        var report = new Evaluator(corpus.Reader, new EvaluationOptions { Clips = 1, MaxFramesPerClip = 5 }).Run([new GroundTruthClipRenderer(32)]);

        Assert.True(double.IsNaN(report.Rows[1].FaceLmd));
        Assert.True(double.IsNaN(report.Rows[1].SyncConfidence));
        Assert.Contains("| n/a | n/a |", report.ToMarkdown());
        Assert.Contains(report.Notes, n => n.Contains("--landmarks", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0.042", true)]
    [InlineData("0.6", false)]
    public void Run_SyncNetworkWithLowHeldOutConfidence_Warns(string confidence, bool warns)
    {
        using var sync = new SyncNetwork();
        sync.eval();
        sync.Metadata["heldOutConfidence"] = confidence;

        var report = new Evaluator(corpus.Reader, new EvaluationOptions { Clips = 1, MaxFramesPerClip = 5 }, sync: sync).Run([new GroundTruthClipRenderer(32)]);

        Assert.Equal(warns, report.Notes.Any(n => n.StartsWith("WARNING: the sync network", StringComparison.Ordinal)));
    }

    [Fact]
    public void Run_BadOptions_ThrowsWithEveryProblem()
    {
        var evaluator = new Evaluator(corpus.Reader, new EvaluationOptions { Clips = 0, MaxFramesPerClip = 2 });

        var error = Assert.Throws<ArgumentException>(() => evaluator.Run([new GroundTruthClipRenderer(32)]));

        Assert.Contains("Clips", error.Message);
        Assert.Contains("MaxFramesPerClip", error.Message);
    }
}
