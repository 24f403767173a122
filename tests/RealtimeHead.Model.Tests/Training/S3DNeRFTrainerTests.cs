using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model.Losses;
using RealtimeHead.Model.Tests.Assembly;
using RealtimeHead.Model.Training;
using Xunit.Abstractions;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Training;

[Collection(TorchRngCollection.Name)]
public sealed class S3DNeRFTrainerTests(ITestOutputHelper output)
{
    private static readonly S3DNeRFConfig Config = AssemblyTestData.Small;

    internal static S3DNeRFTrainer NewTrainer(S3DNeRFConfig config, S3DNeRFTrainerOptions? options = null) =>
        new(config, options ?? new S3DNeRFTrainerOptions { Seed = 42, R1Interval = 2 }, PerceptualLoss.CreateSubstitute(NullLogger.Instance));

    [Fact]
    public void Step_SameSeed_SameLossesBitForBit()
    {
        using var scope = NewDisposeScope();
        var batch = AssemblyTestData.DiscClip(Config, 2, Config.LipSyncFrames);
        using var first = NewTrainer(Config);
        using var second = NewTrainer(Config);
        for (var i = 0; i < 2; i++)
        {
            var a = first.Step(batch);
            var b = second.Step(batch);
            Assert.Equal(a.Generator, b.Generator);
            Assert.Equal(a.Discriminator, b.Discriminator);
            Assert.Equal(a.R1, b.R1);
        }
        Assert.Equal(2, first.StepCount);
    }

    [Fact]
    public void Step_AllLossTerms_AreFiniteAndActive()
    {
        using var scope = NewDisposeScope();
        var batch = AssemblyTestData.DiscClip(Config, 2, Config.LipSyncFrames);
        using var trainer = NewTrainer(Config);
        var before = trainer.Model.Decoder.parameters().First().clone();
        var lipSyncBefore = trainer.LipSync.parameters().First().clone();
        trainer.Step(batch);
        var result = trainer.Step(batch); // step 2 runs R1 (interval 2)

        foreach (var term in new[] { "total", "pix", "per", "adv", "sync", "deform" })
        {
            Assert.True(double.IsFinite(result.Generator[term]) && result.Generator[term] > 0, $"{term} = {result.Generator[term]}");
        }
        Assert.NotNull(result.R1);
        Assert.True(result.Discriminator > 0);
        Assert.True(trainer.Model.Decoder.parameters().First().sub(before).abs().sum().item<float>() > 0, "generator did not move");
        Assert.Equal(0f, trainer.LipSync.parameters().First().sub(lipSyncBefore).abs().sum().item<float>()); // frozen
    }

    [Theory]
    [InlineData(DeformationVariant.CrossModal, true)]
    [InlineData(DeformationVariant.Naive, true)]
    [InlineData(DeformationVariant.FeatureConcatenate, true)]
    [InlineData(DeformationVariant.None, true)]
    [InlineData(DeformationVariant.CrossModal, false)]
    public void Step_EveryAblation_BuildsAndSteps(DeformationVariant variant, bool lipSync)
    {
        using var scope = NewDisposeScope();
        var config = Config with { Deformation = variant, UseLipSyncLoss = lipSync };
        var frames = lipSync ? config.LipSyncFrames : 3;
        using var trainer = NewTrainer(config);
        var result = trainer.Step(AssemblyTestData.DiscClip(config, 1, frames));

        Assert.True(double.IsFinite(result.Generator["total"]));
        Assert.Equal(variant == DeformationVariant.None ? 0 : 1, Math.Sign(result.Generator["deform"]));
        Assert.Equal(lipSync ? 1 : 0, Math.Sign(result.Generator["sync"]));
    }

    [Fact]
    public void Step_TinyDiscClip_OverfitsPixelLossTenfold()
    {
        using var scope = NewDisposeScope();
        var config = Config with { UseLipSyncLoss = false, PerceptualWeight = 0 };
        var batch = AssemblyTestData.DiscClip(config, 1, 4);
        using var trainer = NewTrainer(config, new S3DNeRFTrainerOptions { Seed = 3, UseAdversarialLoss = false, GeneratorLearningRate = 3e-3, Beta1 = 0.9 });
        var clock = Stopwatch.StartNew();
        var initial = trainer.Step(batch).Generator["pix"];
        var best = initial;
        for (var step = 0; step < 300 && best > initial / 10; step++)
        {
            using var inner = NewDisposeScope();
            best = Math.Min(best, trainer.Step(batch).Generator["pix"]);
        }
        output.WriteLine($"pixel loss {initial:G4} → {best:G4} in {trainer.StepCount} steps, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(best <= initial / 10, $"pixel loss went from {initial} to {best} in {trainer.StepCount} steps");
    }

    [Fact]
    public void Step_BadBatch_ThrowsNamingTheProblem()
    {
        using var scope = NewDisposeScope();
        using var trainer = NewTrainer(Config);
        var good = AssemblyTestData.DiscClip(Config, 1, Config.LipSyncFrames);

        var wrongFrames = AssemblyTestData.DiscClip(Config, 1, 3);
        Assert.Contains("LipSyncFrames = 2", Assert.Throws<ArgumentException>(() => trainer.Step(wrongFrames)).Message);

        var nanAudio = good with { Audio = good.Audio.clone() };
        nanAudio.Audio[0, 0, 0, 0] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => trainer.Step(nanAudio)).Message);

        var badTargets = good with { Targets = rand([1, 2, 3, 16, 16]) };
        Assert.Contains("Targets must be [1, 2, 3, 32, 32]", Assert.Throws<ArgumentException>(() => trainer.Step(badTargets)).Message);

        var badPose = good with { SourcePose = rand([1, 3, 3]) };
        Assert.Contains("4x4", Assert.Throws<ArgumentException>(() => trainer.Step(badPose)).Message);
        Assert.Equal(0, trainer.StepCount);
    }
}
