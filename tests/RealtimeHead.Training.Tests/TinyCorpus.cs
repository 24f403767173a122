using RealtimeHead.Corpus;
using RealtimeHead.Model;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // torch's global generator is seeded per step

namespace RealtimeHead.Training.Tests;

/// <summary>
/// One synthetic corpus for the whole test assembly: 2 identities × 1 s (25 frames) at 64x64, made once by the generator
/// (about 2 s), and a model config derived from Tiny that trains in a fraction of a second per step.
/// </summary>
public sealed class TinyCorpus : IDisposable
{
    private readonly DirectoryInfo _root = System.IO.Directory.CreateTempSubdirectory("rh-train-");

    public TinyCorpus()
    {
        // One libtorch thread: the tiny tensors gain nothing from more, and a shared CI machine loses a lot.
        RealtimeHead.Torch.torch.set_num_threads(1);
        Directory = Path.Combine(_root.FullName, "corpus");
        new CorpusGenerator(new CorpusOptions { Identities = 2, SecondsPerClip = 1, ImageSize = 64, Seed = 7 }).Generate(Directory);
    }

    /// <summary>The corpus root.</summary>
    public string Directory { get; }

    /// <summary>32x32 frames from a 16x16 render, 2 levels, 4 + 4 samples, T = 2, 16 mel bins, windows of 8.</summary>
    public static S3DNeRFConfig Config { get; } = S3DNeRFConfig.Tiny with
    {
        Preset = "tiny-test",
        ImageSize = 32,
        RenderSize = 16,
        EncoderChannels = [8, 12],
        PlaneChannels = 4,
        SlotGrid = 4,
        SlotCount = 3,
        SlotDim = 8,
        SlotIterations = 1,
        AudioFeatureDim = 16,
        AudioWindow = 8,
        AudioDim = 8,
        AttentionHeads = 2,
        AttentionDim = 8,
        DeformHidden = 16,
        DecoderHidden = 16,
        RenderFeatureChannels = 3,
        CoarseSamples = 4,
        ImportanceSamples = 4,
        SuperResolutionChannels = 8,
        LipSyncFrames = 2,
        LipSyncEmbedding = 16,
        DiscriminatorChannels = 4,
    };

    /// <summary>A fresh directory under this fixture's temporary root.</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(_root.FullName, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A copy of the corpus that a test may damage.</summary>
    public string Copy()
    {
        var target = NewDirectory("copy");
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
        return target;
    }

    /// <summary>Same shape and bit-identical float values.</summary>
    public static bool Same(RealtimeHead.Torch.torch.Tensor a, RealtimeHead.Torch.torch.Tensor b) =>
        a.shape.SequenceEqual(b.shape) && a.contiguous().data<float>().SequenceEqual(b.contiguous().data<float>());

    public void Dispose() => _root.Delete(recursive: true);
}

[CollectionDefinition(Name)]
public sealed class TinyCorpusCollection : ICollectionFixture<TinyCorpus>
{
    public const string Name = "tiny corpus";
}
