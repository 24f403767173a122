using System.CommandLine;

namespace RealtimeHead.Cli.Tests.Commands;

public sealed class EvalCommandTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("rh-cli-eval-");

    public void Dispose() => temp.Delete(recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApplication.Build().Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Eval_TinyCorpusEndToEnd_TrainsBothNetworksAndWritesTheTable()
    {
        var corpus = Path.Combine(temp.FullName, "corpus");
        var landmarks = Path.Combine(temp.FullName, "lm.safetensors");
        var sync = Path.Combine(temp.FullName, "sync.safetensors");
        var report = Path.Combine(temp.FullName, "out", "report.md");
        Assert.Equal(0, Run("corpus", "make", "-n", "2", "--seconds", "0.4", "--size", "32", "--seed", "9", "-o", corpus).Code);

        var lm = Run("eval", "train-landmarks", "--corpus", corpus, "--steps", "3", "--batch", "4", "--resolution", "32", "-o", landmarks);
        var sn = Run("eval", "train-sync", "--corpus", corpus, "--steps", "3", "--batch", "4", "-o", sync);
        var ev = Run("eval", "--corpus", corpus, "--untrained", "--landmarks", landmarks, "--sync", sync, "--clips", "1", "--frames", "5", "--still-baseline", "-o", report);

        Assert.True(lm.Code == 0, lm.Err);
        Assert.Contains("Held-out error (10 frames)", lm.Out);
        Assert.True(sn.Code == 0, sn.Err);
        Assert.Contains("Held-out clips 1", sn.Out);
        Assert.True(ev.Code == 0, ev.Err);
        var markdown = File.ReadAllText(report);
        Assert.Contains("| Ground truth | ∞ | 1.0000 | 0.000 | 0.000 |", markdown);
        Assert.Contains("| S3D-NeRF untrained (tiny, seed 20240) |", markdown);
        Assert.Contains("| Source frame repeated (still avatar) |", markdown);
        Assert.Contains("measured at 128x128", markdown);
    }

    [Fact]
    public void Eval_NeitherCheckpointNorUntrained_ListsEveryError()
    {
        var (code, _, error) = Run("eval", "--corpus", temp.FullName, "--clips", "0", "--batch", "0", "-o", Path.Combine(temp.FullName, "r.md"));

        Assert.Equal(2, code);
        Assert.Contains("--clips must be", error);
        Assert.Contains("--batch must be", error);
        Assert.Contains("exactly one of --checkpoint DIR and --untrained", error);
    }

    [Fact]
    public void Eval_MissingCorpus_ReportsTheFile()
    {
        var (code, _, error) = Run("eval", "--corpus", Path.Combine(temp.FullName, "none"), "--untrained", "-o", Path.Combine(temp.FullName, "r.md"));

        Assert.Equal(1, code);
        Assert.Contains("corpus.json", error);
    }

    [Fact]
    public void TrainSync_BadSteps_IsARangeError()
    {
        var (code, _, error) = Run("eval", "train-sync", "--corpus", temp.FullName, "--steps", "0", "-o", Path.Combine(temp.FullName, "s"));

        Assert.Equal(2, code);
        Assert.Contains("--steps must be", error);
    }
}
