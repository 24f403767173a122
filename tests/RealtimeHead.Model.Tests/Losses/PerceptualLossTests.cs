using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Model.Losses;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Tests.Losses;

/// <summary>
/// Writes one temporary safetensors file with random weights of torchvision's VGG19 features shapes (and an unrelated
/// classifier entry that loading must skip), shared by the tests of a class.
/// </summary>
public sealed class RandomVggFile : IDisposable
{
    public RandomVggFile()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vgg19-random-{Guid.NewGuid():N}.safetensors");
        manual_seed(42);
        foreach (var (name, shape) in PerceptualLoss.ExpectedEntries())
        {
            // He-scaled so sixteen random layers keep finite, non-trivial activations.
            var fanIn = shape.Length == 4 ? shape[1] * 9 : 1;
            var values = shape.Length == 4 ? randn(shape) * Math.Sqrt(2.0 / fanIn) : randn(shape) * 0.01;
            Weights[name] = values.DetachFromDisposeScope();
        }
        Weights["classifier.0.bias"] = randn([4]).DetachFromDisposeScope();
        SafeTensors.Save(Path, Weights);
    }

    public string Path { get; }

    public Dictionary<string, Tensor> Weights { get; } = new();

    public void Dispose()
    {
        File.Delete(Path);
        foreach (var t in Weights.Values) t.Dispose();
    }
}

public sealed class PerceptualLossTests(RandomVggFile vgg) : IClassFixture<RandomVggFile>
{
    [Fact]
    public void ExpectedEntries_TorchvisionVgg19_SixteenConvsWithTorchvisionIndices()
    {
        var entries = PerceptualLoss.ExpectedEntries();

        Assert.Equal(32, entries.Count);
        AssertEntry(entries[0], "features.0.weight", 64, 3, 3, 3);
        AssertEntry(entries[2], "features.2.weight", 64, 64, 3, 3);
        AssertEntry(entries[8], "features.10.weight", 256, 128, 3, 3);
        AssertEntry(entries[31], "features.34.bias", 512);
        // 20,024,384 parameters: torchvision's vgg19.features.
        Assert.Equal(20_024_384L, entries.Sum(e => e.shape.Aggregate(1L, (a, b) => a * b)));
    }

    private static void AssertEntry((string name, long[] shape) entry, string name, params long[] shape)
    {
        Assert.Equal(name, entry.name);
        Assert.Equal(shape, entry.shape);
    }

    [Fact]
    public void FromSafeTensors_RandomWeightsRoundTrip_GivesIdenticalFeatures()
    {
        using var scope = NewDisposeScope();
        var logger = new CapturingLogger();
        using var loaded = PerceptualLoss.FromSafeTensors(vgg.Path, logger: logger);
        using var reference = PerceptualLoss.FromStateDict(vgg.Weights);
        manual_seed(1);
        var image = rand([1, 3, 32, 32]) * 2 - 1;

        var a = loaded.Features(image);
        var b = reference.Features(image);

        Assert.Equal(PerceptualLossKind.Vgg19, loaded.Kind);
        Assert.Equal(5, a.Length);
        long[][] expected = [[1, 64, 32, 32], [1, 128, 16, 16], [1, 256, 8, 8], [1, 512, 4, 4], [1, 512, 2, 2]];
        for (var k = 0; k < 5; k++)
        {
            Assert.Equal(expected[k], a[k].shape);
            Assert.Equal(b[k].data<float>(), a[k].data<float>());
            Assert.True(a[k].abs().sum().item<double>() > 0, $"{PerceptualLoss.LayerNames[k]} is all zero");
        }
        var buffer = loaded.named_buffers().Single(n => n.name == "features_34_weight").buffer;
        Assert.Equal(vgg.Weights["features.34.weight"].data<float>(), buffer.data<float>());
        Assert.Contains(logger.Entries, e => e.eventId == 5402 && e.message.Contains(vgg.Path));
    }

    [Fact]
    public void FromSafeTensors_WeightsAreNotTrainableNorCheckpointed()
    {
        using var loaded = PerceptualLoss.FromSafeTensors(vgg.Path);

        Assert.Empty(loaded.parameters());
        Assert.Empty(loaded.state_dict());
        Assert.Equal(34, loaded.named_buffers().Count()); // 32 VGG tensors + ImageNet mean and std
    }

    [Fact]
    public void Forward_Vgg_ZeroForIdenticalPositiveOtherwiseAndGradientReachesGenerated()
    {
        using var scope = NewDisposeScope();
        using var loss = PerceptualLoss.FromStateDict(vgg.Weights);
        manual_seed(2);
        var target = rand([2, 3, 16, 16]) * 2 - 1;
        var generated = (rand([2, 3, 16, 16]) * 2 - 1).requires_grad_();

        Assert.Equal(0f, loss.forward(target, target).item<float>());
        var value = loss.forward(generated, target);
        value.backward();

        Assert.True(value.item<float>() > 0);
        Assert.True(generated.grad!.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void FromSafeTensors_WrongShapeAndMissingEntries_ThrowNamingEach()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vgg19-bad-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (var scope = NewDisposeScope())
            {
                SafeTensors.Save(path, new Dictionary<string, Tensor>
                {
                    ["features.0.weight"] = zeros([64, 3, 5, 5]),
                    ["features.0.bias"] = zeros([64]),
                    ["features.1.weight"] = zeros([64]),
                });
            }

            var error = Assert.Throws<InvalidDataException>(() => PerceptualLoss.FromSafeTensors(path));

            Assert.Contains("'features.0.weight' has shape [64, 3, 5, 5], expected [64, 3, 3, 3]", error.Message);
            Assert.Contains("missing 'features.2.weight'", error.Message);
            Assert.Contains("missing 'features.34.bias'", error.Message);
            Assert.Contains("unexpected 'features.1.weight'", error.Message);
            Assert.DoesNotContain("'features.0.bias'", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromSafeTensors_IntegerEntry_ThrowsNamingIt()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"vgg19-int-{Guid.NewGuid():N}.safetensors");
        try
        {
            using (var scope = NewDisposeScope())
            {
                SafeTensors.Save(path, new Dictionary<string, Tensor> { ["features.0.bias"] = zeros([64], ScalarType.Int32) });
            }

            var error = Assert.Throws<InvalidDataException>(() => PerceptualLoss.FromSafeTensors(path));

            Assert.Contains("'features.0.bias' has dtype I32", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void FromSafeTensors_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => PerceptualLoss.FromSafeTensors("/nonexistent/vgg19.safetensors"));
    }

    [Fact]
    public void FromStateDict_WrongShape_ThrowsNamingEntry()
    {
        using var scope = NewDisposeScope();
        var weights = new Dictionary<string, Tensor>(vgg.Weights) { ["features.5.weight"] = zeros([128, 64, 1, 1]) };

        var error = Assert.Throws<ArgumentException>(() => PerceptualLoss.FromStateDict(weights));

        Assert.Contains("'features.5.weight' has shape [128, 64, 1, 1], expected [128, 64, 3, 3]", error.Message);
    }

    [Fact]
    public void Create_NoWeights_UsesSubstituteAndLogsWarning()
    {
        var logger = new CapturingLogger();

        using var loss = PerceptualLoss.Create(null, logger);

        Assert.Equal(PerceptualLossKind.StructuralSubstitute, loss.Kind);
        var entry = Assert.Single(logger.Entries);
        Assert.Equal((5401, LogLevel.Warning), (entry.eventId, entry.level));
        Assert.Contains("substitute", entry.message);
        Assert.Throws<InvalidOperationException>(() => loss.Features(zeros([1, 3, 16, 16])));
    }

    [Fact]
    public void Create_WithWeightsPath_LoadsVgg()
    {
        using var loss = PerceptualLoss.Create(vgg.Path, NullLogger.Instance);

        Assert.Equal(PerceptualLossKind.Vgg19, loss.Kind);
    }

    [Fact]
    public void Forward_Substitute_ZeroForIdenticalAndGrowsWithBlur()
    {
        using var scope = NewDisposeScope();
        using var loss = PerceptualLoss.CreateSubstitute(NullLogger.Instance);
        manual_seed(3);
        var target = rand([1, 3, 32, 32]) * 2 - 1;
        var slightlyBlurred = target * 0.7 + F.avg_pool2d(F.pad(target, [1, 1, 1, 1], PaddingModes.Replicate), 3, 1) * 0.3;
        var blurred = F.avg_pool2d(F.pad(target, [1, 1, 1, 1], PaddingModes.Replicate), 3, 1);

        var same = loss.forward(target, target).item<float>();
        var slight = loss.forward(slightlyBlurred, target).item<float>();
        var strong = loss.forward(blurred, target).item<float>();

        Assert.Equal(0f, same, 6);
        Assert.True(slight > 0);
        Assert.True(strong > slight, $"blur {strong} should cost more than slight blur {slight}");
    }

    [Fact]
    public void Forward_Substitute_GradientReachesGeneratedNotTarget()
    {
        using var scope = NewDisposeScope();
        using var loss = PerceptualLoss.CreateSubstitute(NullLogger.Instance, ImageRange.ZeroToOne);
        manual_seed(4);
        var target = rand([2, 3, 16, 16]).requires_grad_();
        var generated = rand([2, 3, 16, 16]).requires_grad_();

        loss.forward(generated, target).backward();

        Assert.True(generated.grad!.abs().sum().item<double>() > 0);
        Assert.Null(target.grad);
    }

    [Fact]
    public void Forward_MismatchedOrTooSmallImages_Throws()
    {
        using var scope = NewDisposeScope();
        using var loss = PerceptualLoss.CreateSubstitute(NullLogger.Instance);

        Assert.Throws<ArgumentException>(() => loss.forward(zeros([1, 3, 16, 16]), zeros([1, 3, 32, 32])));
        Assert.Throws<ArgumentException>(() => loss.forward(zeros([1, 3, 8, 8]), zeros([1, 3, 8, 8])));
        Assert.Throws<ArgumentException>(() => loss.forward(zeros([1, 1, 16, 16]), zeros([1, 1, 16, 16])));
    }
}
