using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Torch.Tests.Tensors;

/// <summary>libtorch failures surface as .NET exceptions carrying libtorch's message; the process survives them.</summary>
public sealed class ErrorHandlingTests
{
    [Fact]
    public void Matmul_ShapeMismatch_ThrowsTorchExceptionWithLibtorchMessage()
    {
        using var scope = NewDisposeScope();
        var a = ones(2, 3);
        var b = ones(2, 3);
        var error = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("cannot be multiplied", error.Message);
        Assert.Contains("2x3", error.Message);
    }

    [Fact]
    public void Add_NonBroadcastableShapes_Throws()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TorchException>(() => ones(3) + ones(4));
        Assert.Contains("must match", error.Message);
    }

    [Fact]
    public void Conv2d_WrongChannelCount_Throws()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TorchException>(() => F.conv2d(ones(1, 3, 8, 8), ones(4, 2, 3, 3)));
        Assert.Contains("channels", error.Message);
    }

    [Fact]
    public void To_CudaWithoutGpu_ThrowsInsteadOfAborting()
    {
        if (cuda.is_available()) return; // on a GPU machine this is not an error
        using var scope = NewDisposeScope();
        var error = Assert.Throws<TorchException>(() => ones(2).to(CUDA));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Contains("CUDA", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void DisposedTensor_AnyUse_ThrowsObjectDisposed()
    {
        var t = ones(2);
        t.Dispose();
        Assert.Throws<ObjectDisposedException>(() => t.sum());
        Assert.Throws<ObjectDisposedException>(() => t.shape);
        Assert.Equal("tensor(disposed)", t.ToString());
        t.Dispose(); // twice is harmless
    }

    [Fact]
    public void ErrorsOnOneThread_DoNotLeakIntoAnother()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<TorchException>(() => ones(3) + ones(4));
        // The next, valid call on another thread and on this one must succeed.
        var other = 0f;
        var thread = new Thread(() =>
        {
            using var inner = NewDisposeScope();
            other = (ones(3) + ones(3)).sum().item<float>();
        });
        thread.Start();
        thread.Join();
        Assert.Equal(6f, other);
        Assert.Equal(6f, (ones(3) + ones(3)).sum().item<float>());
    }

    [Fact]
    public void ManyFailures_InARow_KeepTheProcessHealthy()
    {
        for (var i = 0; i < 200; i++)
        {
            using var scope = NewDisposeScope();
            Assert.Throws<TorchException>(() => ones(2, 2).view(3));
        }
        using var last = ones(2, 2).sum();
        Assert.Equal(4f, last.item<float>());
    }
}
