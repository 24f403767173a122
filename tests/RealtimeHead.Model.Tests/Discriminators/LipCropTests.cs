using RealtimeHead.Model.Discriminators;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Discriminators;

public sealed class LipCropTests
{
    [Fact]
    public void Crop_WholeFrameAtSameSize_ReturnsTheFrames()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var frames = rand([2, 3, 3, 8, 12]);

        var crops = LipCrop.Crop(frames, tensor(new[] { 0f, 0f, 1f, 1f, 0f, 0f, 1f, 1f }, [2, 4]), 8, 12);

        Assert.Equal(frames.shape, crops.shape);
        Assert.True((crops - frames).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Crop_LowerHalfBoxPerFrame_ReturnsLowerHalfRows()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var frames = rand([1, 2, 3, 8, 8]);
        var boxes = tensor(new[] { 0f, 0.5f, 1f, 1f, 0f, 0.5f, 1f, 1f }, [1, 2, 4]);

        var crops = LipCrop.Crop(frames, boxes, 4, 8);

        Assert.Equal(new long[] { 1, 2, 3, 4, 8 }, crops.shape);
        Assert.True((crops - frames.narrow(3, 4, 4)).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void Crop_Backward_ReachesFramesInsideTheBoxOnly()
    {
        using var scope = NewDisposeScope();
        var frames = rand([1, 1, 3, 8, 8]).requires_grad_();

        LipCrop.Crop(frames, tensor(new[] { 0f, 0.5f, 1f, 1f }, [1, 4]), 4, 8).sum().backward();

        var grad = frames.grad!;
        Assert.Equal(0f, grad.narrow(3, 0, 4).abs().sum().item<float>());
        Assert.Equal(1f * 3 * 4 * 8, grad.narrow(3, 4, 4).sum().item<float>(), 3);
    }

    [Fact]
    public void Crop_BadShapes_Throw()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => LipCrop.Crop(rand([1, 3, 8, 8]), zeros([1, 4]), 4, 4));
        Assert.Throws<ArgumentException>(() => LipCrop.Crop(rand([1, 2, 3, 8, 8]), zeros([1, 3, 4]), 4, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LipCrop.Crop(rand([1, 2, 3, 8, 8]), zeros([1, 4]), 0, 4));
    }
}
