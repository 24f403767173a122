using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model.Checkpoints;
using RealtimeHead.Model.Inference;
using RealtimeHead.Model.Losses;
using RealtimeHead.Model.Placement;
using RealtimeHead.Model.Tests.Assembly;
using RealtimeHead.Model.Tests.Training;
using RealtimeHead.Model.Training;
using RealtimeHead.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Placement;

/// <summary>
/// The model, the inference cache, the renderer adapter and the trainer on an explicit device: CPU everywhere, CUDA where
/// the shim has it (the CUDA facts are skipped with their reason elsewhere). Inputs are always made on the CPU, as the
/// pipeline makes them.
/// </summary>
[Collection(TorchRngCollection.Name)]
public sealed class DevicePlacementTests
{
    private static readonly S3DNeRFConfig Config = AssemblyTestData.Small;

    public static TheoryData<string> Devices()
    {
        var devices = new TheoryData<string> { "cpu" };
        if (CudaFactAttribute.IsAvailable) devices.Add("cuda:0");
        return devices;
    }

    /// <summary>
    /// Three frames (two portraits, every quality rung) from a model of seed 31 on <paramref name="placement"/>
    /// (null = the factory's default), as the CPU fp32 values Render returns.
    /// </summary>
    private static float[] RenderFrames(ModelPlacement? placement, out Device modelDevice)
    {
        using var scope = NewDisposeScope();
        manual_seed(30);
        var images = AssemblyTestData.Images(Config, 2);
        var audio = AssemblyTestData.Audio(Config, 3);
        var poses = AssemblyTestData.Poses(Config, 3);
        using var model = S3DNeRFModelFactory.LoadDefault(config: Config, seed: 31, placement: placement);
        using var inference = new S3DNeRFInference(model);
        using var first = inference.Encode(images.narrow(0, 0, 1), null, "a");
        using var second = inference.Encode(images.narrow(0, 1, 1), null, "b");
        var frames = inference.Render([
            new FrameRequest(first, audio[0], poses[0], RenderQuality.Full),
            new FrameRequest(second, audio[1], poses[1], RenderQuality.NoSuperResolution),
            new FrameRequest(first, audio[2], poses[2], RenderQuality.LowResolution),
        ]);
        Assert.Equal(new long[] { 3, 3, Config.ImageSize, Config.ImageSize }, frames.shape);
        Assert.Equal(DeviceType.CPU, frames.device_type);
        Assert.Equal(ScalarType.Float32, frames.dtype);
        Assert.Equal(model.Device, first.Features.SourcePose.device);
        modelDevice = model.Device;
        return frames.data<float>();
    }

    private static (double Mean, double Max) Difference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double sum = 0, max = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var d = Math.Abs(a[i] - b[i]);
            sum += d;
            max = Math.Max(max, d);
        }
        return (sum / a.Length, max);
    }

    [Fact]
    public void LoadDefault_ExplicitCpu_SameFramesAsTheDefault()
    {
        var implicitFrames = RenderFrames(null, out var implicitDevice);
        var explicitFrames = RenderFrames(ModelPlacement.Parse("cpu", "fp32"), out var explicitDevice);

        Assert.Equal(CPU, implicitDevice);
        Assert.Equal(CPU, explicitDevice);
        Assert.Equal(implicitFrames, explicitFrames);
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Render_OnDevice_ReturnsFiniteCpuFramesInRange(string device)
    {
        var frames = RenderFrames(ModelPlacement.Parse(device), out var modelDevice);

        Assert.Equal(ModelPlacement.Parse(device).Device, modelDevice);
        Assert.All(frames, v => Assert.InRange(v, -1f, 1f));
        Assert.True(frames.Distinct().Count() > 100, "the frames are not flat");
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Place_OnDevice_MovesEveryParameterAndKeepsValues(string device)
    {
        manual_seed(32);
        using var model = new S3DNeRF(Config);
        var before = model.Decoder.parameters().First().data<float>();
        var count = model.parameters().Count();

        Assert.Same(model, model.Place(ModelPlacement.Parse(device)));

        var target = ModelPlacement.Parse(device).Device;
        Assert.Equal(target, model.Device);
        Assert.Equal(ScalarType.Float32, model.ComputeType);
        Assert.Equal(count, model.parameters().Count(p => p.device == target && p.dtype == ScalarType.Float32));
        Assert.All(model.buffers(), b => Assert.Equal(target, b.device));
        Assert.Equal(before, model.Decoder.parameters().First().data<float>());
    }

    [Fact]
    public void Place_UnavailableGpu_ThrowsAndLeavesTheModelOnTheCpu()
    {
        using var model = new S3DNeRF(Config);

        var error = Assert.Throws<InvalidOperationException>(() => model.Place(ModelPlacement.Parse("cuda:64")));

        Assert.Contains("cuda:64", error.Message);
        Assert.Equal(CPU, model.Device);
    }

    [Theory]
    [InlineData("bf16")]
    [InlineData("fp16")]
    public void LoadDefault_ReducedPrecisionOnCpu_ThrowsAClearError(string precision)
    {
        var error = Assert.Throws<InvalidOperationException>(() => S3DNeRFModelFactory.LoadDefault(config: Config, placement: ModelPlacement.Parse("cpu", precision)));

        Assert.Contains($"precision {precision} needs a CUDA device", error.Message);
    }

    [Fact]
    public void CreateRenderer_ExplicitCpu_SameBytesAsTheDefaultRenderer()
    {
        var rgb = new byte[Config.ImageSize * Config.ImageSize * 3];
        new Random(5).NextBytes(rgb);
        var window = Enumerable.Range(0, Config.AudioWindow * Config.AudioFeatureDim).Select(i => (float)Math.Sin(i)).ToArray();
        byte[] Render(ModelPlacement? placement)
        {
            using var renderer = S3DNeRFModelFactory.CreateRenderer(config: Config, seed: 33, placement: placement);
            Assert.Equal(CPU, renderer.Device);
            using var portrait = renderer.EncodePortrait("p", rgb, Config.ImageSize, Config.ImageSize);
            return renderer.Render([new RenderRequest(portrait, window, new HeadPose(0.1f, 0f, 0f), RenderQuality.Full)])[0].Rgb;
        }

        Assert.Equal(Render(null), Render(ModelPlacement.Cpu));
    }

    [Fact]
    public void Trainer_ExplicitCpu_SameLossesAsTheDefault()
    {
        using var scope = NewDisposeScope();
        var batch = AssemblyTestData.DiscClip(Config, 1, Config.LipSyncFrames);
        using var implicitDevice = S3DNeRFTrainerTests.NewTrainer(Config);
        using var explicitDevice = new S3DNeRFTrainer(Config, new S3DNeRFTrainerOptions { Seed = 42, R1Interval = 2 },
            PerceptualLoss.CreateSubstitute(NullLogger.Instance), CPU);

        Assert.Equal(CPU, explicitDevice.Device);
        Assert.Equal(implicitDevice.Step(batch).Generator, explicitDevice.Step(batch).Generator);
    }

    [Fact]
    public void Trainer_UnavailableGpu_ThrowsBeforeBuildingAnything()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new S3DNeRFTrainer(Config, new S3DNeRFTrainerOptions(),
            PerceptualLoss.CreateSubstitute(NullLogger.Instance), new Device(DeviceType.CUDA, 64)));

        Assert.Contains("cuda:64", error.Message);
    }

    [CudaFact]
    public void Render_OnCuda_MatchesTheCpuWithinTolerance()
    {
        var cpu = RenderFrames(ModelPlacement.Cpu, out _);
        var gpu = RenderFrames(ModelPlacement.Parse("cuda"), out var device);

        Assert.Equal(DeviceType.CUDA, device.type);
        // Same weights and inputs; cuDNN may use TF32 convolutions (10-bit mantissa), so not bit for bit.
        var (mean, max) = Difference(cpu, gpu);
        Assert.True(mean < 2e-3 && max < 3e-2, $"mean {mean}, max {max}");
    }

    [CudaFact]
    public void Render_OnCudaInReducedPrecision_StaysNearFp32()
    {
        var reference = RenderFrames(ModelPlacement.Cpu, out _);
        foreach (var precision in new[] { "bf16", "fp16" })
        {
            var frames = RenderFrames(ModelPlacement.Parse("cuda", precision), out _);
            var (mean, max) = Difference(reference, frames);
            // bf16 keeps 8 significant bits (fp16 11): layer outputs move by about 2^-8 relative; frames lie in [-1, 1].
            Assert.True(mean < 3e-2 && max < 0.3, $"{precision}: mean {mean}, max {max}");
        }
    }

    [CudaFact]
    public void Renderer_OnCuda_BytesMatchTheCpuRenderer()
    {
        var rgb = new byte[Config.ImageSize * Config.ImageSize * 3];
        new Random(6).NextBytes(rgb);
        var window = Enumerable.Range(0, Config.AudioWindow * Config.AudioFeatureDim).Select(i => (float)Math.Cos(i)).ToArray();
        byte[] Render(ModelPlacement placement)
        {
            using var renderer = S3DNeRFModelFactory.CreateRenderer(config: Config, seed: 34, placement: placement);
            Assert.Equal(placement.Device, renderer.Device);
            using var portrait = renderer.EncodePortrait("p", rgb, Config.ImageSize, Config.ImageSize);
            return renderer.Render([new RenderRequest(portrait, window, HeadPose.Frontal, RenderQuality.Full)])[0].Rgb;
        }

        var cpu = Render(ModelPlacement.Cpu);
        var gpu = Render(ModelPlacement.Parse("cuda"));
        Assert.Equal(cpu.Length, gpu.Length);
        Assert.True(cpu.Zip(gpu).Count(p => Math.Abs(p.First - p.Second) > 2) < cpu.Length / 100, "more than 1% of the bytes differ by over 2");
    }

    [CudaFact]
    public void Trainer_OnCuda_StepsWithCpuBatches()
    {
        using var scope = NewDisposeScope();
        var batch = AssemblyTestData.DiscClip(Config, 1, Config.LipSyncFrames);
        using var trainer = new S3DNeRFTrainer(Config, new S3DNeRFTrainerOptions { Seed = 42, R1Interval = 1 },
            PerceptualLoss.CreateSubstitute(NullLogger.Instance), CUDA);
        var before = trainer.Model.Decoder.parameters().First().data<float>();

        var result = trainer.Step(batch);

        Assert.All(result.Generator.Values, v => Assert.True(double.IsFinite(v)));
        Assert.True(double.IsFinite(result.Discriminator));
        Assert.All(trainer.Model.parameters().Concat(trainer.Discriminator.parameters()), p => Assert.Equal(DeviceType.CUDA, p.device_type));
        Assert.NotEqual(before, trainer.Model.Decoder.parameters().First().data<float>());
    }

    [Fact]
    public void Render_Bf16WeightsCastDirectlyOnCpu_KeepsGeometryFp32AndStaysNearFp32()
    {
        // Place refuses reduced precision on the CPU (too slow to be useful there); casting the module directly still
        // exercises every dtype boundary of the reduced-precision path with the CPU kernels.
        var reference = RenderFrames(ModelPlacement.Cpu, out _);
        using var scope = NewDisposeScope();
        manual_seed(30);
        var images = AssemblyTestData.Images(Config, 2);
        var audio = AssemblyTestData.Audio(Config, 3);
        var poses = AssemblyTestData.Poses(Config, 3);
        using var model = S3DNeRFModelFactory.LoadDefault(config: Config, seed: 31);
        model.to(ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, model.ComputeType);
        using var inference = new S3DNeRFInference(model);
        using var first = inference.Encode(images.narrow(0, 0, 1), null, "a");
        using var second = inference.Encode(images.narrow(0, 1, 1), null, "b");
        Assert.All(first.Features.Planes, p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(ScalarType.Float32, first.Features.SourcePose.dtype);
        Assert.Equal(ScalarType.BFloat16, first.Features.SuperResolutionSource.Low.dtype);
        var frames = inference.Render([
            new FrameRequest(first, audio[0], poses[0], RenderQuality.Full),
            new FrameRequest(second, audio[1], poses[1], RenderQuality.NoSuperResolution),
            new FrameRequest(first, audio[2], poses[2], RenderQuality.LowResolution),
        ]);

        Assert.Equal(ScalarType.Float32, frames.dtype);
        var (mean, max) = Difference(reference, frames.data<float>());
        Assert.True(mean < 3e-2 && max < 0.3, $"mean {mean}, max {max}");
    }

    [Fact]
    public void CheckpointPaths_ExplicitCpu_LoadAndResumeOnTheCpu()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"s3dnerf-placement-{Guid.NewGuid():N}");
        try
        {
            using var scope = NewDisposeScope();
            var batch = AssemblyTestData.DiscClip(Config, 1, Config.LipSyncFrames);
            using (var trainer = S3DNeRFTrainerTests.NewTrainer(Config))
            {
                trainer.Step(batch);
                S3DNeRFCheckpoint.Save(directory, trainer);
            }

            using var loaded = S3DNeRFModelFactory.LoadDefault(directory, Config, placement: ModelPlacement.Cpu);
            using var loadedImplicitly = S3DNeRFModelFactory.LoadDefault(directory, Config);
            Assert.Equal(CPU, loaded.Device);
            Assert.Equal(loadedImplicitly.Decoder.parameters().First().data<float>(), loaded.Decoder.parameters().First().data<float>());

            using var resumed = S3DNeRFCheckpoint.Resume(directory, PerceptualLoss.CreateSubstitute(NullLogger.Instance), Config, CPU);
            Assert.Equal(CPU, resumed.Device);
            Assert.Equal(2, resumed.Step(batch).Step);
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
