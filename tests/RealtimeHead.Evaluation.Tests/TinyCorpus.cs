using RealtimeHead.Corpus;
using RealtimeHead.Corpus.Dataset;

namespace RealtimeHead.Evaluation.Tests;

/// <summary>A corpus generated once for the tests that need one: 2 identities, 1 s each, 64x64 (about 2 s to make).</summary>
public sealed class TinyCorpus : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rh-eval-");

    public TinyCorpus()
    {
        Root = Path.Combine(_directory.FullName, "corpus");
        new CorpusGenerator(new CorpusOptions { Identities = 2, SecondsPerClip = 1, ImageSize = 64, Seed = 11 }).Generate(Root);
        Reader = CorpusReader.Open(Root);
    }

    public string Root { get; }

    public CorpusReader Reader { get; }

    public string TempPath(string name) => Path.Combine(_directory.FullName, name);

    public void Dispose() => _directory.Delete(recursive: true);
}

/// <summary>
/// Tests that seed libtorch's global RNG or train: one collection, so they never run beside each other, sharing the corpus.
/// </summary>
[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<TinyCorpus>
{
    public const string Name = "Torch and tiny corpus";
}
