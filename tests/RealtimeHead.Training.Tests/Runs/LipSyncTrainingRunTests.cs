using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model.Losses;
using RealtimeHead.Model.Training;
using RealtimeHead.Training.Runs;

namespace RealtimeHead.Training.Tests.Runs;

[Collection(TinyCorpusCollection.Name)]
public sealed class LipSyncTrainingRunTests(TinyCorpus corpus)
{
    [Fact]
    public void Run_TwoSteps_SavesWeightsTheTrainerLoads()
    {
        var output = corpus.NewDirectory("sync");
        var options = new LipSyncTrainingOptions
        {
            CorpusDirectory = corpus.Directory,
            OutputDirectory = output,
            Config = TinyCorpus.Config,
            Steps = 2,
            BatchSize = 3,
            Seed = 5,
        };

        var result = new LipSyncTrainingRun(options).Run();

        Assert.Equal(2, result.Steps);
        Assert.All(result.Losses, l => Assert.InRange(l.Loss, 0, 5.0)); // two hinge terms, each at most η + 2
        Assert.All(result.Losses, l => Assert.InRange(l.Accuracy, 0, 1));
        Assert.InRange(result.ValidationAccuracy, 0, 1);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, LipSyncTrainingRun.LossesFile)).Length);
        Assert.True(File.Exists(Path.Combine(output, LipSyncTrainingRun.PlotFile)));
        using var trainer = new S3DNeRFTrainer(TinyCorpus.Config, new S3DNeRFTrainerOptions(), PerceptualLoss.CreateSubstitute(NullLogger.Instance));
        trainer.LoadLipSyncWeights(result.WeightsPath); // strict: every tensor name and shape must match
        Assert.Equal((LipSyncTrainingRun.CropHeight(TinyCorpus.Config), LipSyncTrainingRun.CropWidth(TinyCorpus.Config)), (trainer.LipCropHeight, trainer.LipCropWidth));
    }

    [Fact]
    public void Run_SameSeed_SameLosses()
    {
        LipSyncTrainingOptions Options() => new()
        {
            CorpusDirectory = corpus.Directory,
            OutputDirectory = corpus.NewDirectory("sync-seed"),
            Config = TinyCorpus.Config,
            Steps = 2,
            BatchSize = 2,
            Seed = 9,
        };

        var first = new LipSyncTrainingRun(Options()).Run();
        var second = new LipSyncTrainingRun(Options()).Run();

        Assert.Equal(first.Losses, second.Losses);
    }
}
