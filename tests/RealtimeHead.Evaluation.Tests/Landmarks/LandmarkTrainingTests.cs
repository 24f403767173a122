using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Landmarks;

namespace RealtimeHead.Evaluation.Tests.Landmarks;

[Collection(TorchCollection.Name)]
public sealed class LandmarkTrainingTests(TinyCorpus corpus)
{
    [Fact]
    public void Train_FewStepsOnTinyCorpus_ReportsHeldOutErrorAndRoundTrips()
    {
        var result = LandmarkTraining.Train(corpus.Reader, new LandmarkTrainingOptions { Steps = 25, BatchSize = 8, ReportResolution = 64, MaxReportFrames = 10 });
        using var regressor = result.Regressor;

        Assert.True(result.DisjointIdentities);
        Assert.Equal(9, result.HeldOutFrames); // every 3rd of 25 frames
        // Untrained output sits at the box centre (~10 px off at 64x64); a few steps already place the mean face.
        Assert.InRange(result.HeldOutFaceError, 0.1, 8);
        Assert.InRange(result.HeldOutMouthError, 0.1, 8);
        Assert.True(double.IsFinite(result.FinalLoss));

        var path = corpus.TempPath("lm.safetensors");
        regressor.Save(path);
        using var loaded = LandmarkRegressor.Load(path);
        var split = IdentitySplit.Of(corpus.Reader.Manifest);
        var again = LandmarkTraining.Measure(loaded, corpus.Reader, split.HeldOut, 64, 10);
        Assert.Equal(result.HeldOutFaceError, again.Face, 5);
        Assert.Equal(result.Regressor.Metadata["heldOutFaceError"], loaded.Metadata["heldOutFaceError"]);
    }

    [Fact]
    public void Load_NotARegressorFile_ThrowsInvalidData()
    {
        var path = corpus.TempPath("other.safetensors");
        using (var network = new RealtimeHead.Evaluation.Sync.SyncNetwork()) network.Save(path);

        Assert.Throws<InvalidDataException>(() => LandmarkRegressor.Load(path));
    }

    [Fact]
    public void Options_OutOfRange_ListsEveryProblem()
    {
        var errors = new LandmarkTrainingOptions { Steps = 0, BatchSize = 0, LearningRate = 0, BoxJitter = 1, ReportResolution = 8, MaxReportFrames = 0 }.Validate();

        Assert.Equal(6, errors.Count);
    }
}
