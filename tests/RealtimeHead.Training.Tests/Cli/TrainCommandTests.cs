using System.CommandLine;
using System.Text.Json;
using RealtimeHead.Cli;
using RealtimeHead.Training.Runs;

namespace RealtimeHead.Training.Tests.Cli;

[Collection(TinyCorpusCollection.Name)]
public sealed class TrainCommandTests(TinyCorpus corpus)
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApplication.Build().Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The test config as a --config file (its fields laid over the tiny preset).</summary>
    private string ConfigFile()
    {
        var path = Path.Combine(corpus.NewDirectory("config"), "small.json");
        File.WriteAllText(path, JsonSerializer.Serialize(TinyCorpus.Config with { Preset = "tiny" }));
        return path;
    }

    [Fact]
    public void TrainSyncThenTrain_TwoStepsEach_WriteWeightsCurvesAndProgress()
    {
        var config = ConfigFile();
        var sync = corpus.NewDirectory("cli-sync");
        var output = corpus.NewDirectory("cli-train");

        var (syncCode, syncOut, syncErr) = Run("train", "sync", "--corpus", corpus.Directory, "-o", sync, "--config", config, "--steps", "2", "--batch", "2", "--threads", "1");
        var weights = Path.Combine(sync, LipSyncTrainingRun.WeightsFile);
        var (code, stdout, stderr) = Run("train", "--corpus", corpus.Directory, "-o", output, "--config", config, "--sync", weights,
            "--steps", "2", "--checkpoint-every", "1", "--validate-every", "0", "--seed", "4", "--threads", "1");

        Assert.True(syncCode == 0, syncErr);
        Assert.Contains("held-out sync accuracy", syncOut);
        Assert.True(File.Exists(weights));
        Assert.True(code == 0, stderr);
        Assert.Contains("Trained to step 2", stdout);
        Assert.Contains("step 2/2 (100.0%)", stderr);
        Assert.Contains("steps/s", stderr);
        Assert.Contains("eta ", stderr);
        Assert.Contains("[checkpoint]", stderr);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, TrainingRun.LossesFile)).Length);
        Assert.True(File.Exists(Path.Combine(output, TrainingRun.PlotFile)));
        Assert.EndsWith("step-00000002", TrainingRun.LatestCheckpoint(output));
    }

    [Fact]
    public void Train_OutOfRangeValues_ListsEveryErrorAndTrainsNothing()
    {
        var output = Path.Combine(corpus.NewDirectory("bad"), "out");

        var (code, _, error) = Run("train", "--corpus", corpus.Directory, "-o", output, "--steps", "0", "--checkpoint-every", "0", "--batch", "0");

        Assert.Equal(2, code);
        Assert.Contains("--steps 0 must be", error);
        Assert.Contains("--checkpoint-every 0 must be", error);
        Assert.Contains("--batch 0 must be", error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Train_UnknownPresetOrConfigField_IsAnError()
    {
        var (code, _, error) = Run("train", "--corpus", corpus.Directory, "-o", corpus.NewDirectory("p"), "--preset", "huge");
        Assert.NotEqual(0, code);
        Assert.Contains("huge", error);

        var file = Path.Combine(corpus.NewDirectory("c"), "bad.json");
        File.WriteAllText(file, "{ \"imageSize\": 32, \"wings\": 2 }");
        (code, _, error) = Run("train", "--corpus", corpus.Directory, "-o", corpus.NewDirectory("q"), "--config", file);
        Assert.Equal(2, code);
        Assert.Contains("unknown config field 'wings'", error);
    }

    [Fact]
    public void Train_MissingCorpus_FailsWithTheManifestPath()
    {
        var missing = corpus.NewDirectory("nothing");

        var (code, _, error) = Run("train", "--corpus", missing, "-o", corpus.NewDirectory("o"), "--config", ConfigFile(), "--steps", "1");

        Assert.Equal(1, code);
        Assert.Contains("corpus.json", error);
    }
}
