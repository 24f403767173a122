using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Tests.Tensors;

public sealed class DisposeScopeTests
{
    [Fact]
    public void Dispose_FreesEveryTemporaryCreatedInside()
    {
        Tensor a, b;
        using (var scope = NewDisposeScope())
        {
            a = ones(3);
            b = a * 2 + 1;
            Assert.Equal(3, scope.DisposablesCount); // ones, a*2 and (a*2)+1, nothing else
        }
        Assert.True(a.IsInvalid);
        Assert.True(b.IsInvalid);
    }

    [Fact]
    public void MoveToOuterDisposeScope_KeepsResultAlive()
    {
        Tensor result;
        using (var outer = NewDisposeScope())
        {
            using (NewDisposeScope())
            {
                result = (ones(2) * 5).MoveToOuterDisposeScope();
            }
            Assert.False(result.IsInvalid);
            Assert.Equal(new float[] { 5, 5 }, result.data<float>());
            Assert.Equal(1, outer.DisposablesCount);
        }
        Assert.True(result.IsInvalid);
    }

    [Fact]
    public void DetachFromDisposeScope_CallerOwnsTheTensor()
    {
        Tensor kept;
        using (NewDisposeScope())
        {
            kept = ones(2).DetachFromDisposeScope();
        }
        Assert.False(kept.IsInvalid);
        kept.Dispose();
        Assert.True(kept.IsInvalid);
    }

    [Fact]
    public void Scope_DisposingATensorEarly_RemovesItFromTheScope()
    {
        using var scope = NewDisposeScope();
        var t = ones(2);
        t.Dispose();
        Assert.Equal(0, scope.DisposablesCount);
    }

    [Fact]
    public void Scopes_ArePerThread()
    {
        using var scope = NewDisposeScope();
        Tensor? fromOtherThread = null;
        var thread = new Thread(() => fromOtherThread = ones(2));
        thread.Start();
        thread.Join();
        Assert.Equal(0, scope.DisposablesCount);
        Assert.False(fromOtherThread!.IsInvalid);
        fromOtherThread.Dispose();
    }

    [Fact]
    public void ScopeDisposedOnAnotherThread_IsNotReusedByItsOwnThread()
    {
        var scope = NewDisposeScope();
        var thread = new Thread(scope.Dispose);
        thread.Start();
        thread.Join();
        var t = ones(2);
        Assert.Equal(0, scope.DisposablesCount);
        t.Dispose();
    }
}
