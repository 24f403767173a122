using RealtimeHead.Model.Checkpoints;
using RealtimeHead.Model.Inference;
using RealtimeHead.Model.Tests.Assembly;
using RealtimeHead.Model.Tests.Training;
using RealtimeHead.Rendering;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Checkpoints;

/// <summary>
/// The bundled-model lookup against a temporary folder standing in for Default/ beside the application, with a
/// checkpoint the test writes (the Small config under its own preset name).
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class BundledModelsTests : IDisposable
{
    private static readonly S3DNeRFConfig Config = AssemblyTestData.Small;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"s3dnerf-bundled-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string PresetDirectory => Path.Combine(_root, Config.Preset);

    /// <summary>Writes a model-only checkpoint of <see cref="Config"/> from <paramref name="seed"/> where the preset is bundled.</summary>
    private void Bundle(long seed)
    {
        using var model = S3DNeRFModelFactory.LoadDefault(config: Config, seed: seed);
        S3DNeRFCheckpoint.SaveModel(PresetDirectory, model);
    }

    /// <summary>The bytes a renderer draws for one fixed request.</summary>
    private static byte[] Frame(S3DNeRFTalkingHeadRenderer renderer)
    {
        var rgb = new byte[Config.ImageSize * Config.ImageSize * 3];
        new Random(8).NextBytes(rgb);
        var window = Enumerable.Range(0, Config.AudioWindow * Config.AudioFeatureDim).Select(i => (float)Math.Sin(0.3 * i)).ToArray();
        using var portrait = renderer.EncodePortrait("p", rgb, Config.ImageSize, Config.ImageSize);
        return renderer.Render([new RenderRequest(portrait, window, HeadPose.Frontal, RenderQuality.Full)])[0].Rgb;
    }

    [Fact]
    public void TryLocate_NothingBundled_ReturnsNull()
    {
        var bundled = new BundledModels(_root);

        Assert.Null(bundled.TryLocate("tiny"));                    // no root at all
        Directory.CreateDirectory(Path.Combine(_root, "tiny"));
        File.WriteAllText(Path.Combine(_root, "tiny", "README.md"), "what goes here");
        Assert.Null(bundled.TryLocate("tiny"));                    // the folder with only its note, as committed before a model lands
    }

    [Fact]
    public void TryLocate_BundledCheckpoint_ReturnsItsDirectoryWhateverTheCase()
    {
        Bundle(seed: 11);
        var bundled = new BundledModels(_root);

        Assert.Equal(PresetDirectory, bundled.TryLocate(Config.Preset));
        Assert.Equal(PresetDirectory, bundled.TryLocate(Config.Preset.ToUpperInvariant()));
        Assert.Null(bundled.TryLocate("paper"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("../tiny")]
    [InlineData("tiny/../tiny")]
    [InlineData("/etc")]
    public void TryLocate_NameThatIsNotAFolder_ReturnsNull(string preset)
    {
        Bundle(seed: 11);

        Assert.Null(new BundledModels(Path.Combine(_root, "sub")).TryLocate(preset));
    }

    [Fact]
    public void TryLocate_CheckpointOfAnotherPreset_ThrowsSayingWhereItBelongs()
    {
        Bundle(seed: 11);
        Directory.Move(PresetDirectory, Path.Combine(_root, "tiny"));

        var error = Assert.Throws<InvalidDataException>(() => new BundledModels(_root).TryLocate("tiny"));

        Assert.Contains($"was made with preset '{Config.Preset}', not 'tiny'", error.Message);
        Assert.Contains($"Default/{Config.Preset}/", error.Message);
    }

    [Fact]
    public void TryLocate_CorruptManifest_Throws()
    {
        Bundle(seed: 11);
        File.WriteAllText(Path.Combine(PresetDirectory, S3DNeRFCheckpoint.ManifestFile), "{ \"format\": ");

        var error = Assert.Throws<InvalidDataException>(() => new BundledModels(_root).TryLocate(Config.Preset));

        Assert.Contains("is not a valid checkpoint manifest", error.Message);
    }

    [Fact]
    public void TryLocate_MissingWeights_Throws()
    {
        Bundle(seed: 11);
        File.Delete(Path.Combine(PresetDirectory, S3DNeRFCheckpoint.GeneratorFile));

        var error = Assert.Throws<InvalidDataException>(() => new BundledModels(_root).TryLocate(Config.Preset));

        Assert.Contains($"has a manifest but no {S3DNeRFCheckpoint.GeneratorFile}", error.Message);
    }

    [Fact]
    public void CreateRenderer_NoCheckpointWithABundledModel_LoadsTheBundledWeights()
    {
        Bundle(seed: 11);
        var bundled = new BundledModels(_root);

        using var fromBundle = S3DNeRFModelFactory.CreateRenderer(null, Config, bundled: bundled);
        using var sameWeights = S3DNeRFModelFactory.CreateRenderer(config: Config, seed: 11, bundled: new BundledModels(Path.Combine(_root, "empty")));
        using var fresh = S3DNeRFModelFactory.CreateRenderer(config: Config, bundled: new BundledModels(Path.Combine(_root, "empty")));

        var frame = Frame(fromBundle);
        Assert.Equal(Frame(sameWeights), frame);                  // the saved seed-11 weights, not the factory's seed
        Assert.NotEqual(Frame(fresh), frame);
    }

    [Fact]
    public void ResolveCheckpoint_ExplicitDirectoryBundledOrNeither_InThatOrder()
    {
        Bundle(seed: 11);
        var bundled = new BundledModels(_root);

        Assert.Equal("/some/run", S3DNeRFModelFactory.ResolveCheckpoint("/some/run", Config, bundled));
        Assert.Equal(PresetDirectory, S3DNeRFModelFactory.ResolveCheckpoint(null, Config, bundled));
        Assert.Equal(PresetDirectory, S3DNeRFModelFactory.ResolveCheckpoint("", Config, bundled));
        Assert.Null(S3DNeRFModelFactory.ResolveCheckpoint(null, S3DNeRFConfig.Paper, bundled));
        Assert.Null(S3DNeRFModelFactory.ResolveCheckpoint(null, Config, new BundledModels(Path.Combine(_root, "empty"))));
    }

    [Fact]
    public void BesideApplication_IsTheDefaultFolderNextToTheAssemblies()
    {
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "Default"), BundledModels.BesideApplication.Root);
        // The trained checkpoint committed under src/RealtimeHead.Model/Default/tiny/ is copied here by the build, and loads
        // as the tiny preset (its training-only loss weights may differ).
        var tiny = BundledModels.BesideApplication.TryLocate("tiny");
        Assert.NotNull(tiny);
        using var model = S3DNeRFCheckpoint.LoadModel(tiny, S3DNeRFConfig.Tiny);
        Assert.Equal("tiny", model.Config.Preset);
    }
}
