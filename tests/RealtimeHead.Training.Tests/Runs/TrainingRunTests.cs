using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Imaging;
using RealtimeHead.Model.Checkpoints;
using RealtimeHead.Model.Training;
using RealtimeHead.Training.Reporting;
using RealtimeHead.Training.Runs;

namespace RealtimeHead.Training.Tests.Runs;

[Collection(TinyCorpusCollection.Name)]
public sealed class TrainingRunTests(TinyCorpus corpus)
{
    private TrainingRunOptions Options(string output, long steps) => new()
    {
        CorpusDirectory = corpus.Directory,
        OutputDirectory = output,
        Config = TinyCorpus.Config,
        Trainer = new S3DNeRFTrainerOptions { R1Interval = 2 },
        Steps = steps,
        CheckpointEvery = 2,
        ValidateEvery = 0,
        ValidationFraction = 0.5,
        Seed = 11,
    };

    [Fact]
    public void Run_ResumedFromStepTwo_GivesStepThreeOfTheStraightRun()
    {
        var straightOutput = corpus.NewDirectory("straight");
        var resumedOutput = corpus.NewDirectory("resumed");

        var straight = new TrainingRun(Options(straightOutput, 3)).Run();
        var first = new TrainingRun(Options(resumedOutput, 2)).Run();
        var resumed = new TrainingRun(Options(resumedOutput, 3) with { Resume = true }).Run();

        Assert.Equal(3, straight.Steps.Count);
        Assert.Equal(2, first.Steps.Count);
        Assert.Equal(3, resumed.FirstStep);
        var expected = straight.Steps[2];
        var actual = Assert.Single(resumed.Steps);
        Assert.Equal(3, actual.Step);
        Assert.Equal(expected.Generator, actual.Generator);          // bit for bit
        Assert.Equal(expected.Discriminator, actual.Discriminator);
        Assert.Equal(expected.R1, actual.R1);
        Assert.Null(actual.R1);                                      // R1 interval 2: steps 2, 4, ...
        Assert.NotNull(straight.Steps[1].R1);
        // The CSV of the resumed run is the straight run's, row for row (seconds aside).
        Assert.Equal(Columns(straightOutput), Columns(resumedOutput));
    }

    private static List<string> Columns(string output) =>
        [.. File.ReadAllLines(Path.Combine(output, TrainingRun.LossesFile)).Select(l => l[..l.LastIndexOf(',')])];

    [Fact]
    public void Run_TwoSteps_WritesCsvPlotCheckpointAndValidation()
    {
        var output = corpus.NewDirectory("run");
        var options = Options(output, 2) with { ValidateEvery = 2, ValidationVideoSeconds = 0.2 };

        var result = new TrainingRun(options, NullLogger.Instance).Run();

        var lines = File.ReadAllLines(Path.Combine(output, TrainingRun.LossesFile));
        Assert.Equal("step,total,pix,per,adv,sync,deform,disc,r1,seconds", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("1,", lines[1]);
        Assert.StartsWith("2,", lines[2]);
        var plot = RgbImage.Load(Path.Combine(output, TrainingRun.PlotFile));
        Assert.Equal((960, 540), (plot.Width, plot.Height));
        Assert.Equal(Path.Combine(output, TrainingRun.CheckpointsFolder, "step-00000002"), result.LastCheckpoint);
        Assert.Equal(2, S3DNeRFCheckpoint.ReadManifest(result.LastCheckpoint!).Step);
        var grid = RgbImage.Load(Path.Combine(output, TrainingRun.ValidationFolder, "step-00000002.png"));
        Assert.Equal((2 + 5 * 34, 2 + 2 * 34), (grid.Width, grid.Height)); // 1 clip: source + 4 frames, truth over render
        var validation = File.ReadAllLines(Path.Combine(output, TrainingRun.ValidationFile));
        Assert.Equal("step,psnr,seconds", validation[0]);
        Assert.Equal(2, validation.Length);
        Assert.InRange(double.Parse(validation[1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture), 3, 60); // dB
        Assert.True(double.Parse(validation[1].Split(',')[2], System.Globalization.CultureInfo.InvariantCulture) > 0);
        var video = Path.Combine(output, TrainingRun.ValidationFolder, "step-00000002.mp4");
        if (FfmpegAvailable()) Assert.True(new FileInfo(video).Length > 0);
        Assert.Contains("\"validationIdentities\"", File.ReadAllText(Path.Combine(output, TrainingRun.SplitFile)));
        Assert.All(result.Steps, s => Assert.True(double.IsFinite(s.Generator["total"])));
    }

    [Fact]
    public void Run_OutputHoldsCheckpointsWithoutResume_Refuses()
    {
        var output = corpus.NewDirectory("twice");
        new TrainingRun(Options(output, 1) with { CheckpointEvery = 1 }).Run();

        var error = Assert.Throws<InvalidOperationException>(() => new TrainingRun(Options(output, 2)).Run());

        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void Run_ResumeWithAnotherConfig_NamesTheDifference()
    {
        var output = corpus.NewDirectory("config");
        new TrainingRun(Options(output, 1) with { CheckpointEvery = 1 }).Run();

        var error = Assert.Throws<InvalidDataException>(() =>
            new TrainingRun(Options(output, 2) with { Resume = true, Config = TinyCorpus.Config with { DecoderHidden = 8 } }).Run());

        Assert.Contains("DecoderHidden", error.Message);
    }

    [Fact]
    public void Run_CancelledAfterFirstStep_SavesACheckpointOfThatStep()
    {
        var output = corpus.NewDirectory("cancel");
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(p => cancel.Cancel());

        var result = new TrainingRun(Options(output, 5) with { CheckpointEvery = 100 }).Run(progress, cancel.Token);

        Assert.True(result.Cancelled);
        Assert.Equal(1, result.LastStep);
        Assert.Equal(1, S3DNeRFCheckpoint.ReadManifest(TrainingRun.LatestCheckpoint(output)!).Step);
    }

    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    internal static bool FfmpegAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "ffmpeg")));
}
