using RealtimeHead.Torch.Interop;

namespace RealtimeHead.Torch;

/// <summary>
/// The entry point of the binding, named and shaped after TorchSharp's <c>torch</c> class
/// (<c>using static RealtimeHead.Torch.torch;</c> then <c>zeros(2, 3)</c>, <c>nn.Linear(4, 8)</c>, ...).
/// </summary>
public static partial class torch
{
    // ---- runtime

    /// <summary>Seeds the CPU (and CUDA, when present) generators: same seed, same random tensors.</summary>
    public static void manual_seed(long seed) => LibTorchShim.rh_manual_seed(unchecked((ulong)seed));

    /// <summary>Intra-op threads libtorch uses (Debian's libtorch defaults to 1: set it explicitly).</summary>
    public static void set_num_threads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        LibTorchShim.rh_set_num_threads(threads);
    }

    public static int get_num_threads() => LibTorchShim.rh_get_num_threads();

    /// <summary>Opens a scope that disposes every tensor created on this thread until it is disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Disables gradient recording on this thread until the returned guard is disposed.</summary>
    public static IDisposable no_grad() => new GradModeGuard(false);

    public static IDisposable enable_grad() => new GradModeGuard(true);

    public static bool is_grad_enabled() => LibTorchShim.rh_is_grad_enabled() != 0;

    private sealed class GradModeGuard : IDisposable
    {
        private readonly bool _previous;
        private bool _disposed;

        public GradModeGuard(bool enabled)
        {
            _previous = is_grad_enabled();
            LibTorchShim.rh_set_grad_enabled(enabled ? 1 : 0);
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            LibTorchShim.rh_set_grad_enabled(_previous ? 1 : 0);
        }
    }

    public static class cuda
    {
        public static bool is_available() => LibTorchShim.rh_cuda_is_available() != 0;
        public static int device_count() => LibTorchShim.rh_cuda_device_count();

        /// <summary>Waits for all queued work on the device (use around GPU timings).</summary>
        public static void synchronize(int device = -1) => TorchException.CheckStatus(LibTorchShim.rh_cuda_synchronize(device));
    }

    // ---- creation

    /// <summary>A tensor holding a copy of <paramref name="data"/> in the given shape (1-D when no shape is given).</summary>
    public static Tensor tensor<T>(T[] data, long[]? dimensions = null, Device? device = null, bool requires_grad = false) where T : unmanaged
    {
        var result = Tensor.FromArray(data, dimensions ?? [data.Length], device);
        if (requires_grad) result.requires_grad = true;
        return result;
    }

    public static Tensor tensor(float value, Device? device = null) => Tensor.FromArray(new[] { value }, ReadOnlySpan<long>.Empty, device);
    public static Tensor tensor(double value, Device? device = null) => Tensor.FromArray(new[] { value }, ReadOnlySpan<long>.Empty, device);
    public static Tensor tensor(long value, Device? device = null) => Tensor.FromArray(new[] { value }, ReadOnlySpan<long>.Empty, device);

    private static unsafe Tensor Factory(FactoryKind kind, long[] size, double value, ScalarType? dtype, Device? device, bool requiresGrad)
    {
        var dev = device ?? CPU;
        Tensor result;
        fixed (long* s = size)
        {
            result = new Tensor(LibTorchShim.rh_tensor_factory((int)kind, s, size.Length, value, (sbyte)(dtype ?? ScalarType.Float32),
                (sbyte)dev.type, (sbyte)Math.Max(dev.type == DeviceType.CPU ? -1 : 0, dev.index)));
        }
        if (requiresGrad) result.requires_grad = true;
        return result;
    }

    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.Empty, size, 0, dtype, device, requires_grad);
    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.Zeros, size, 0, dtype, device, requires_grad);
    public static Tensor zeros(long d0) => zeros([d0], null);
    public static Tensor zeros(long d0, long d1) => zeros([d0, d1], null);
    public static Tensor zeros(long d0, long d1, long d2) => zeros([d0, d1, d2], null);
    public static Tensor zeros(long d0, long d1, long d2, long d3) => zeros([d0, d1, d2, d3], null);
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.Ones, size, 0, dtype, device, requires_grad);
    public static Tensor ones(long d0) => ones([d0], null);
    public static Tensor ones(long d0, long d1) => ones([d0, d1], null);
    public static Tensor ones(long d0, long d1, long d2) => ones([d0, d1, d2], null);
    public static Tensor ones(long d0, long d1, long d2, long d3) => ones([d0, d1, d2, d3], null);
    public static Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.Full, size, value, dtype, device, requires_grad);
    /// <summary>Uniform on [0, 1).</summary>
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.Rand, size, 0, dtype, device, requires_grad);
    public static Tensor rand(long d0) => rand([d0], null);
    public static Tensor rand(long d0, long d1) => rand([d0, d1], null);
    public static Tensor rand(long d0, long d1, long d2) => rand([d0, d1, d2], null);
    public static Tensor rand(long d0, long d1, long d2, long d3) => rand([d0, d1, d2, d3], null);
    /// <summary>Standard normal.</summary>
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) =>
        Factory(FactoryKind.Randn, size, 0, dtype, device, requires_grad);
    public static Tensor randn(long d0) => randn([d0], null);
    public static Tensor randn(long d0, long d1) => randn([d0, d1], null);
    public static Tensor randn(long d0, long d1, long d2) => randn([d0, d1, d2], null);
    public static Tensor randn(long d0, long d1, long d2, long d3) => randn([d0, d1, d2, d3], null);
    /// <summary>Integers uniform on [0, high).</summary>
    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) =>
        Factory(FactoryKind.RandintHigh, size, high, dtype ?? ScalarType.Int64, device, false);

    public static Tensor zeros_like(Tensor other) => zeros(other.shape, other.dtype, other.device);
    public static Tensor ones_like(Tensor other) => ones(other.shape, other.dtype, other.device);
    public static Tensor full_like(Tensor other, double value) => full(other.shape, value, other.dtype, other.device);
    public static Tensor rand_like(Tensor other) => rand(other.shape, other.dtype, other.device);
    public static Tensor randn_like(Tensor other) => randn(other.shape, other.dtype, other.device);

    /// <summary>Values start, start+step, ... below end.</summary>
    public static Tensor arange(double start, double end, double step = 1, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        var type = dtype ?? (start % 1 == 0 && end % 1 == 0 && step % 1 == 0 ? ScalarType.Int64 : ScalarType.Float32);
        return new Tensor(LibTorchShim.rh_tensor_arange(start, end, step, (sbyte)type, (sbyte)dev.type,
            (sbyte)Math.Max(dev.type == DeviceType.CPU ? -1 : 0, dev.index)));
    }

    public static Tensor arange(long end, ScalarType? dtype = null, Device? device = null) => arange(0, end, 1, dtype, device);

    /// <summary><paramref name="steps"/> evenly spaced values from start to end inclusive.</summary>
    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null)
    {
        var dev = device ?? CPU;
        return new Tensor(LibTorchShim.rh_tensor_linspace(start, end, steps, (sbyte)(dtype ?? ScalarType.Float32), (sbyte)dev.type,
            (sbyte)Math.Max(dev.type == DeviceType.CPU ? -1 : 0, dev.index)));
    }

    // ---- combining

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: false);
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Combine(tensors, dim, stack: true);

    private static unsafe Tensor Combine(IReadOnlyList<Tensor> tensors, long dim, bool stack)
    {
        var handles = Tensor.Handles(tensors);
        fixed (IntPtr* p = handles)
        {
            var result = new Tensor(LibTorchShim.rh_cat(p, handles.Length, dim, stack ? 1 : 0));
            GC.KeepAlive(tensors);
            return result;
        }
    }

    /// <summary>Coordinate grids; indexing "ij" (matrix) or "xy" (Cartesian), as torch.meshgrid.</summary>
    public static unsafe Tensor[] meshgrid(IReadOnlyList<Tensor> tensors, string indexing = "ij")
    {
        if (indexing is not ("ij" or "xy")) throw new ArgumentException("indexing must be \"ij\" or \"xy\"", nameof(indexing));
        var handles = Tensor.Handles(tensors);
        var output = new IntPtr[handles.Length];
        long count;
        fixed (IntPtr* p = handles)
        fixed (IntPtr* o = output)
        {
            count = LibTorchShim.rh_meshgrid(p, handles.Length, indexing == "xy" ? 1 : 0, o);
        }
        GC.KeepAlive(tensors);
        TorchException.CheckStatus(count);
        return output.Select(h => new Tensor(h)).ToArray();
    }

    public static unsafe Tensor einsum(string equation, params Tensor[] tensors)
    {
        var handles = Tensor.Handles(tensors);
        fixed (IntPtr* p = handles)
        {
            var result = new Tensor(LibTorchShim.rh_einsum(equation, p, handles.Length));
            GC.KeepAlive(tensors);
            return result;
        }
    }

    public static Tensor where(Tensor condition, Tensor x, Tensor y) => new(LibTorchShim.rh_where(condition.Handle, x.Handle, y.Handle));

    /// <summary>Indices where <paramref name="values"/> would be inserted into the last dim of <paramref name="sorted_sequence"/>.</summary>
    public static Tensor searchsorted(Tensor sorted_sequence, Tensor values, bool right = false) =>
        new(LibTorchShim.rh_searchsorted(sorted_sequence.Handle, values.Handle, right ? 1 : 0));

    public static Tensor lerp(Tensor start, Tensor end, Tensor weight) => new(LibTorchShim.rh_lerp(start.Handle, end.Handle, weight.Handle));

    // Free-function forms of common tensor methods, as in PyTorch.
    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);
    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);
    public static Tensor exp(Tensor x) => x.exp();
    public static Tensor log(Tensor x) => x.log();
    public static Tensor sqrt(Tensor x) => x.sqrt();
    public static Tensor sigmoid(Tensor x) => x.sigmoid();
    public static Tensor tanh(Tensor x) => x.tanh();
    public static Tensor sin(Tensor x) => x.sin();
    public static Tensor cos(Tensor x) => x.cos();
    public static Tensor cumsum(Tensor x, long dim) => x.cumsum(dim);
    public static Tensor cumprod(Tensor x, long dim) => x.cumprod(dim);
    public static Tensor clamp(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);
    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);
    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);
}
