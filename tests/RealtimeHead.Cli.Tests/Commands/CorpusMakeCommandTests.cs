using System.CommandLine;
using RealtimeHead.Corpus.Dataset;

namespace RealtimeHead.Cli.Tests.Commands;

public sealed class CorpusMakeCommandTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("rh-cli-");

    public void Dispose() => temp.Delete(recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApplication.Build().Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Make_TinyCorpus_WritesManifestAndReportsProgress()
    {
        var dir = Path.Combine(temp.FullName, "out");

        var (code, output, error) = Run("corpus", "make", "--identities", "1", "--seconds", "0.2", "--size", "32", "--seed", "3", "-o", dir);

        Assert.True(code == 0, error);
        Assert.Contains("100.0%", output);
        Assert.Contains("Wrote 1 clips, 5 frames", output);
        Assert.Equal(5, CorpusReader.Open(dir).Manifest.Clips[0].FrameCount);
    }

    [Fact]
    public void Make_OutOfRangeValues_ListsEveryErrorAndWritesNothing()
    {
        var dir = Path.Combine(temp.FullName, "bad");

        var (code, _, error) = Run("corpus", "make", "--identities", "0", "--size", "8", "--seconds", "-1", "-o", dir);

        Assert.Equal(2, code);
        Assert.Contains("--identities must be", error);
        Assert.Contains("--size must be", error);
        Assert.Contains("--seconds must be", error);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Make_MissingOutput_IsAParseError()
    {
        var (code, _, error) = Run("corpus", "make", "--identities", "1");

        Assert.NotEqual(0, code);
        Assert.Contains("--output", error);
    }

    [Fact]
    public void Make_NonNumericValue_IsAParseError()
    {
        var (code, _, error) = Run("corpus", "make", "--seconds", "abc", "-o", Path.Combine(temp.FullName, "x"));

        Assert.NotEqual(0, code);
        Assert.Contains("abc", error);
    }

    [Fact]
    public void Make_NonEmptyOutput_FailsWithMessage()
    {
        File.WriteAllText(Path.Combine(temp.FullName, "keep.txt"), "x");

        var (code, _, error) = Run("corpus", "make", "-n", "1", "-s", "0.04", "--size", "16", "-o", temp.FullName);

        Assert.Equal(1, code);
        Assert.Contains("not empty", error);
    }
}
