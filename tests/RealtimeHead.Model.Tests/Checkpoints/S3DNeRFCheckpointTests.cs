using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model.Checkpoints;
using RealtimeHead.Model.Inference;
using RealtimeHead.Model.Losses;
using RealtimeHead.Model.Tests.Assembly;
using RealtimeHead.Model.Tests.Training;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Checkpoints;

[Collection(TorchRngCollection.Name)]
public sealed class S3DNeRFCheckpointTests : IDisposable
{
    private static readonly S3DNeRFConfig Config = AssemblyTestData.Small;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"s3dnerf-ckpt-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void SaveModelLoadModel_RoundTrip_RendersIdentically()
    {
        using var scope = NewDisposeScope();
        using var model = S3DNeRFModelFactory.LoadDefault(config: Config, seed: 21);
        S3DNeRFCheckpoint.SaveModel(_directory, model);
        using var loaded = S3DNeRFModelFactory.LoadDefault(_directory, Config);

        var (image, pose, audio, target) = (AssemblyTestData.Images(Config, 1), AssemblyTestData.Poses(Config, 1), AssemblyTestData.Audio(Config, 1), AssemblyTestData.Poses(Config, 1));
        using var noGrad = no_grad();
        using var a = model.forward(image, pose, audio, target);
        using var b = loaded.forward(image, pose, audio, target);
        Assert.Equal(0f, a.Fine!.sub(b.Fine!).abs().max().item<float>());
        Assert.Equal(Config, S3DNeRFCheckpoint.ReadManifest(_directory).Config with { EncoderChannels = Config.EncoderChannels });
    }

    [Fact]
    public void Resume_AfterOneStep_ContinuesWithIdenticalLosses()
    {
        using var scope = NewDisposeScope();
        var batch = AssemblyTestData.DiscClip(Config, 2, Config.LipSyncFrames);
        var uninterrupted = new List<IReadOnlyDictionary<string, double>>();
        var discriminator = new List<double>();
        using (var trainer = S3DNeRFTrainerTests.NewTrainer(Config))
        {
            trainer.Step(batch);
            S3DNeRFCheckpoint.Save(_directory, trainer);
            for (var i = 0; i < 2; i++)
            {
                var result = trainer.Step(batch);
                uninterrupted.Add(result.Generator);
                discriminator.Add(result.Discriminator);
            }
        }

        using var resumed = S3DNeRFCheckpoint.Resume(_directory, PerceptualLoss.CreateSubstitute(NullLogger.Instance), Config);
        Assert.Equal(1, resumed.StepCount);
        for (var i = 0; i < 2; i++)
        {
            var result = resumed.Step(batch);
            Assert.Equal(uninterrupted[i], result.Generator);
            Assert.Equal(discriminator[i], result.Discriminator);
        }
    }

    [Fact]
    public void LoadModel_OtherPreset_RefusedNamingTheDifference()
    {
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        S3DNeRFCheckpoint.SaveModel(_directory, model);
        var other = Config with { Preset = "other", PlaneChannels = 6 };

        var error = Assert.Throws<InvalidDataException>(() => S3DNeRFCheckpoint.LoadModel(_directory, other));
        Assert.Contains("preset 'tiny-test', not the expected 'other'", error.Message);
        Assert.Contains("PlaneChannels: checkpoint 4, expected 6", error.Message);
        Assert.Throws<InvalidDataException>(() => S3DNeRFCheckpoint.Resume(_directory, PerceptualLoss.CreateSubstitute(NullLogger.Instance), other));
    }

    [Fact]
    public void LoadModel_RetiredFormat_RefusedAskingForRetraining()
    {
        // Format 1 held the same tensors, but its super-resolution output meant tanh(Δ), not I_src + Δ.
        using var scope = NewDisposeScope();
        using var model = new S3DNeRF(Config);
        S3DNeRFCheckpoint.SaveModel(_directory, model);
        var manifest = Path.Combine(_directory, S3DNeRFCheckpoint.ManifestFile);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace(S3DNeRFCheckpoint.FormatName, S3DNeRFCheckpoint.RetiredFormatName, StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => S3DNeRFCheckpoint.LoadModel(_directory, Config));
        Assert.Contains("s3d-nerf-checkpoint/1 checkpoint", error.Message);
        Assert.Contains("retrain", error.Message);
    }

    [Fact]
    public void LoadModel_TrainedWithOtherLossWeights_LoadsAsThePreset()
    {
        using var scope = NewDisposeScope();
        var recipe = Config with { AdversarialWeight = 0, SyncWeight = 0.25f, UseLipSyncLoss = false };
        using var model = new S3DNeRF(recipe);
        S3DNeRFCheckpoint.SaveModel(_directory, model);

        using var loaded = S3DNeRFCheckpoint.LoadModel(_directory, Config);

        Assert.Equal(0f, loaded.Config.AdversarialWeight); // the checkpoint's record is kept, not overwritten
        var error = Assert.Throws<InvalidDataException>(() => S3DNeRFCheckpoint.LoadModel(_directory, Config with { RenderSize = Config.RenderSize * 2 }));
        Assert.Contains("RenderSize", error.Message);
        Assert.DoesNotContain("AdversarialWeight", error.Message);
    }

    [Fact]
    public void LoadModel_NotACheckpoint_Refused()
    {
        Directory.CreateDirectory(_directory);
        Assert.Contains("checkpoint.json is missing", Assert.Throws<InvalidDataException>(() => S3DNeRFCheckpoint.LoadModel(_directory)).Message);
        File.WriteAllText(Path.Combine(_directory, S3DNeRFCheckpoint.ManifestFile), "{\"Format\":\"something-else\"}");
        Assert.Throws<InvalidDataException>(() => S3DNeRFCheckpoint.LoadModel(_directory));
    }
}
