namespace RealtimeHead.Torch;

/// <summary>
/// Collects the tensors created on this thread while it is the innermost scope and disposes them with itself,
/// so one scope around a training step or a rendered frame frees every temporary without per-tensor usings
/// (TorchSharp's DisposeScope). Results that must survive are moved out with
/// <see cref="torch.Tensor.MoveToOuterDisposeScope"/> or <see cref="torch.Tensor.DetachFromDisposeScope"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? s_current;

    private readonly HashSet<torch.Tensor> _tensors = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal DisposeScope()
    {
        Outer = s_current;
        s_current = this;
    }

    /// <summary>
    /// The innermost open scope of the calling thread. A scope disposed on another thread (an async method that
    /// resumed elsewhere) is skipped here rather than collecting tensors it will never free.
    /// </summary>
    internal static DisposeScope? Current
    {
        get
        {
            while (s_current is { _disposed: true }) s_current = s_current.Outer;
            return s_current;
        }
    }

    /// <summary>The scope that was current when this one opened.</summary>
    internal DisposeScope? Outer { get; }

    /// <summary>Tensors currently owned by this scope.</summary>
    public int DisposablesCount => _tensors.Count;

    internal void Register(torch.Tensor tensor) => _tensors.Add(tensor);

    internal void Unregister(torch.Tensor tensor) => _tensors.Remove(tensor);

    /// <summary>Moves the given tensors to the enclosing scope (or to no scope) and returns the first.</summary>
    public T MoveToOuter<T>(T tensor) where T : torch.Tensor
    {
        tensor.MoveToOuterDisposeScope();
        return tensor;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Scopes nest strictly per thread; restoring the outer one keeps later tensors out of a closed scope.
        if (ReferenceEquals(s_current, this)) s_current = Outer;
        foreach (var tensor in _tensors.ToArray())
        {
            tensor.OwningScope = null;
            tensor.Dispose();
        }
        _tensors.Clear();
    }
}
