using System.Diagnostics;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Corpus.Tests.TestSupport;

namespace RealtimeHead.Corpus.Tests;

public sealed class CorpusGeneratorTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private static CorpusOptions Tiny(int seed = 1) => new() { Identities = 1, SecondsPerClip = 0.4, ImageSize = 48, Seed = seed };

    private static Dictionary<string, byte[]> ReadAll(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    [Fact]
    public void Generate_OneSecond64px_WritesTheFormatQuicklyAndReadsBack()
    {
        var dir = temp.Sub("tiny");
        var watch = Stopwatch.StartNew();
        new CorpusGenerator(new CorpusOptions { Identities = 1, SecondsPerClip = 1, ImageSize = 64, Seed = 3 }).Generate(dir);
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed.TotalSeconds:F1} s");

        var reader = CorpusReader.Open(dir);
        Assert.Equal((DatasetFormat.Name, 1, 25, 16000, 64, 64), (reader.Manifest.Format, reader.Manifest.Version, reader.Manifest.Fps, reader.Manifest.SampleRate, reader.Manifest.Width, reader.Manifest.Height));
        var clip = Assert.Single(reader.Manifest.Clips);
        Assert.Equal(("syn0000_00", "syn0000", "clips/syn0000_00", 25), (clip.Id, clip.Identity, clip.Path, clip.FrameCount));

        var track = reader.ReadTrack(clip);
        Assert.Equal(25, track.Frames.Count);
        Assert.Equal(96, track.Intrinsics.Fx);
        Assert.Equal(32, track.Intrinsics.Cx);
        Assert.NotNull(track.Phonemes);
        Assert.NotEmpty(track.Phonemes!);
        Assert.All(track.Phonemes!, p => Assert.True(p.Start < p.End && p.End <= 1.0 + 1e-9, $"{p.Phoneme} {p.Start}-{p.End}"));
        Assert.All(track.Frames, f => Assert.Equal(0.04 * f.Index, f.Time, 9));

        Assert.Equal(16000, reader.ReadAudio(clip).Length);
        for (var i = 0; i < 25; i += 12)
        {
            var frame = reader.ReadFrame(clip, i);
            var mask = reader.ReadMask(clip, i);
            Assert.Equal((64, 64), (frame.Width, frame.Height));
            Assert.Equal((64, 64), (mask.Width, mask.Height));
            Assert.Contains(mask.Pixels.Where((_, k) => k % 3 == 0), b => b == 255);
        }
    }

    [Fact]
    public void Generate_SameSeedTwice_ByteIdenticalFiles()
    {
        new CorpusGenerator(Tiny(seed: 4)).Generate(temp.Sub("a"));
        new CorpusGenerator(Tiny(seed: 4) with { MaxDegreeOfParallelism = 1 }).Generate(temp.Sub("b"));

        var a = ReadAll(temp.Sub("a"));
        var b = ReadAll(temp.Sub("b"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.All(a, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(b[kv.Key]), $"{kv.Key} differs"));
    }

    [Fact]
    public void Generate_DifferentSeed_DifferentFramesAudioAndTrack()
    {
        new CorpusGenerator(Tiny(seed: 4)).Generate(temp.Sub("a"));
        new CorpusGenerator(Tiny(seed: 5)).Generate(temp.Sub("b"));

        var a = ReadAll(temp.Sub("a"));
        var b = ReadAll(temp.Sub("b"));
        foreach (var file in new[] { "clips/syn0000_00/frames/000000.png", "clips/syn0000_00/audio.wav", "clips/syn0000_00/track.json" })
        {
            Assert.False(a[file].AsSpan().SequenceEqual(b[file]), $"{file} is the same for both seeds");
        }
    }

    [Fact]
    public void Generate_ReportsProgressUpToAllFrames()
    {
        var reports = new List<CorpusProgress>();
        new CorpusGenerator(Tiny() with { Identities = 2 }).Generate(temp.Sub("p"), new SynchronousProgress(reports.Add));

        Assert.Equal(CorpusStage.Finished, reports[^1].Stage);
        Assert.Equal(20, reports[^1].FramesTotal);
        Assert.Equal(1.0, reports[^1].Fraction);
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.FramesDone >= p.First.FramesDone));
        Assert.Equal(20, reports.Count(r => r.Stage == CorpusStage.Rendering));
        Assert.Contains(reports, r => r.ClipIndex == 1 && r.ClipId == "syn0001_00");
    }

    [Fact]
    public void Generate_NonEmptyDirectory_ThrowsNamingIt()
    {
        var dir = temp.Sub("busy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "x.txt"), "x");

        var error = Assert.Throws<IOException>(() => new CorpusGenerator(Tiny()).Generate(dir));
        Assert.Contains(dir, error.Message);
    }

    [Fact]
    public void Generate_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new CorpusGenerator(Tiny()).Generate(temp.Sub("c"), cancellationToken: cts.Token));
    }

    [Fact]
    public void Options_Invalid_ListsEveryProblem()
    {
        var options = new CorpusOptions { Identities = 0, SecondsPerClip = -1, ImageSize = 8, MaxDegreeOfParallelism = 0 };

        var errors = options.Validate();

        Assert.Equal(4, errors.Count);
        var thrown = Assert.Throws<ArgumentException>(() => new CorpusGenerator(options));
        Assert.Contains("Identities", thrown.Message);
        Assert.Contains("ImageSize", thrown.Message);
    }

    [Fact]
    public void Options_Defaults_AreValid()
    {
        Assert.Empty(new CorpusOptions().Validate());
        Assert.Equal(250, new CorpusOptions().FramesPerClip);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the reports in order, on the caller's thread.</summary>
    private sealed class SynchronousProgress(Action<CorpusProgress> report) : IProgress<CorpusProgress>
    {
        public void Report(CorpusProgress value) => report(value);
    }
}
