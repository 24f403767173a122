using System.Reflection;
using System.Runtime.InteropServices;

namespace RealtimeHead.Torch.Interop;

/// <summary>
/// P/Invoke declarations of the C ABI shim (src/RealtimeHead.Torch/Native). Every function that can fail
/// returns null / -1 and leaves a message that <see cref="TorchException.ThrowIfPending"/> turns into an exception.
/// Tensor arguments are <see cref="TensorHandle"/>s so a tensor cannot be freed during a call that uses it.
/// </summary>
internal static partial class LibTorchShim
{
    internal const string LibraryName = "RealtimeHeadTorchNative";

    static LibTorchShim() => NativeLibrary.SetDllImportResolver(typeof(LibTorchShim).Assembly, Resolve);

    /// <summary>Touching any member runs the static constructor, which installs the resolver.</summary>
    internal static void EnsureLoaded() => rh_get_num_threads();

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        // RH_TORCH_NATIVE points at a shim built against another libtorch (e.g. CUDA on a GPU machine).
        var overridePath = Environment.GetEnvironmentVariable("RH_TORCH_NATIVE");
        if (!string.IsNullOrEmpty(overridePath)) return NativeLibrary.Load(overridePath);
        var besideAssembly = Path.Combine(AppContext.BaseDirectory, "libRealtimeHeadTorchNative.so");
        if (File.Exists(besideAssembly)) return NativeLibrary.Load(besideAssembly);
        if (NativeLibrary.TryLoad("libRealtimeHeadTorchNative.so", assembly, searchPath, out var handle)) return handle;
        throw new DllNotFoundException(
            "libRealtimeHeadTorchNative.so was not found beside the application. It is built by `dotnet build` of " +
            "RealtimeHead.Torch (needs cmake and libtorch-dev: run ./setup.sh deps), or set RH_TORCH_NATIVE to its path.");
    }

    // ---- errors and lifetime
    [LibraryImport(LibraryName)] internal static unsafe partial long rh_take_error(byte* buffer, long capacity);
    [LibraryImport(LibraryName)] internal static partial void rh_tensor_free(IntPtr tensor);

    // ---- creation
    [LibraryImport(LibraryName)]
    internal static unsafe partial IntPtr rh_tensor_from_data(void* data, long* shape, long ndim, sbyte dtype, sbyte deviceType, sbyte deviceIndex);
    [LibraryImport(LibraryName)]
    internal static unsafe partial IntPtr rh_tensor_factory(int kind, long* shape, long ndim, double value, sbyte dtype, sbyte deviceType, sbyte deviceIndex);
    [LibraryImport(LibraryName)]
    internal static partial IntPtr rh_tensor_arange(double start, double end, double step, sbyte dtype, sbyte deviceType, sbyte deviceIndex);
    [LibraryImport(LibraryName)]
    internal static partial IntPtr rh_tensor_linspace(double start, double end, long steps, sbyte dtype, sbyte deviceType, sbyte deviceIndex);

    // ---- information and data
    [LibraryImport(LibraryName)] internal static partial long rh_tensor_ndim(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial long rh_tensor_numel(TensorHandle t);
    [LibraryImport(LibraryName)] internal static unsafe partial void rh_tensor_shape(TensorHandle t, long* output);
    [LibraryImport(LibraryName)] internal static partial sbyte rh_tensor_dtype(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial sbyte rh_tensor_device_type(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial sbyte rh_tensor_device_index(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial int rh_tensor_requires_grad(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial int rh_tensor_is_contiguous(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial long rh_tensor_element_size(TensorHandle t);
    [LibraryImport(LibraryName)] internal static unsafe partial int rh_tensor_copy_to(TensorHandle t, void* buffer, long nbytes);
    [LibraryImport(LibraryName)] internal static unsafe partial int rh_tensor_copy_from(TensorHandle t, void* buffer, long nbytes);
    [LibraryImport(LibraryName)] internal static unsafe partial int rh_tensor_item(TensorHandle t, double* output);

    // ---- conversion
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_tensor_to(TensorHandle t, sbyte dtype, sbyte deviceType, sbyte deviceIndex, int copy);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_tensor_clone(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_tensor_detach(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_tensor_alias(TensorHandle t);

    // ---- element-wise
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_unary(TensorHandle t, UnaryOp op);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_binary(TensorHandle a, TensorHandle b, BinaryOp op);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_binary_scalar(TensorHandle a, double scalar, BinaryOp op);
    [LibraryImport(LibraryName)] internal static partial int rh_inplace(TensorHandle a, TensorHandle b, double scalar, InplaceOp op);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_where(TensorHandle condition, TensorHandle a, TensorHandle b);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_clamp(TensorHandle t, int hasMin, double min, int hasMax, double max);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_lerp(TensorHandle start, TensorHandle end, TensorHandle weight);

    // ---- reductions
    [LibraryImport(LibraryName)]
    internal static unsafe partial IntPtr rh_reduce(TensorHandle t, ReduceOp op, long* dims, long ndims, int keepdim, double option);
    [LibraryImport(LibraryName)]
    internal static partial int rh_max_dim(TensorHandle t, long dim, int keepdim, int isMin, out IntPtr values, out IntPtr indices);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_argmax(TensorHandle t, long dim, int hasDim, int keepdim, int isMin);
    [LibraryImport(LibraryName)] internal static partial int rh_sort(TensorHandle t, long dim, int descending, out IntPtr values, out IntPtr indices);
    [LibraryImport(LibraryName)] internal static partial int rh_topk(TensorHandle t, long k, long dim, int largest, out IntPtr values, out IntPtr indices);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_scan(TensorHandle t, long dim, ScanOp op);

    // ---- shape
    [LibraryImport(LibraryName)] internal static unsafe partial IntPtr rh_shape_op(TensorHandle t, ShapeOp op, long* values, long count);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_dim_op(TensorHandle t, DimOp op, long a, long b, long c, long d);
    [LibraryImport(LibraryName)] internal static unsafe partial IntPtr rh_cat(IntPtr* list, long count, long dim, int stack);
    [LibraryImport(LibraryName)]
    internal static unsafe partial long rh_split(TensorHandle t, long* sizes, long nsizes, long chunks, long dim, IntPtr* output, long capacity);
    [LibraryImport(LibraryName)] internal static unsafe partial long rh_meshgrid(IntPtr* list, long count, int indexingXy, IntPtr* output);

    // ---- indexing
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_index_op(TensorHandle t, IndexOp op, long dim, TensorHandle index, TensorHandle source);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_masked_fill(TensorHandle t, TensorHandle mask, double value);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_nonzero(TensorHandle t);
    [LibraryImport(LibraryName)] internal static unsafe partial IntPtr rh_index(TensorHandle t, IntPtr* indices, long count);
    [LibraryImport(LibraryName)] internal static unsafe partial int rh_index_put_(TensorHandle t, IntPtr* indices, long count, TensorHandle values, int accumulate);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_searchsorted(TensorHandle sorted, TensorHandle values, int right);
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial IntPtr rh_einsum(string equation, IntPtr* list, long count);

    // ---- nn.functional
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_linear(TensorHandle x, TensorHandle weight, TensorHandle bias);
    [LibraryImport(LibraryName)]
    internal static unsafe partial IntPtr rh_conv(TensorHandle x, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* dilation, long spatial, long groups);
    [LibraryImport(LibraryName)]
    internal static unsafe partial IntPtr rh_conv_transpose(TensorHandle x, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* outputPadding, long* dilation, long spatial, long groups);
    [LibraryImport(LibraryName)]
    internal static unsafe partial IntPtr rh_layer_norm(TensorHandle x, long* normalizedShape, long n, TensorHandle weight, TensorHandle bias, double eps);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_group_norm(TensorHandle x, long groups, TensorHandle weight, TensorHandle bias, double eps);
    [LibraryImport(LibraryName)]
    internal static partial IntPtr rh_batch_norm(TensorHandle x, TensorHandle weight, TensorHandle bias, TensorHandle runningMean, TensorHandle runningVar, int training, double momentum, double eps);
    [LibraryImport(LibraryName)] internal static unsafe partial IntPtr rh_pool(TensorHandle x, PoolOp op, long* kernel, long* stride, long* padding, long spatial);
    [LibraryImport(LibraryName)] internal static unsafe partial IntPtr rh_interpolate(TensorHandle x, long* size, long spatial, int mode, int alignCorners);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_grid_sample(TensorHandle x, TensorHandle grid, int mode, int padding, int alignCorners);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_pixel_shuffle(TensorHandle x, long factor, int inverse);
    [LibraryImport(LibraryName)] internal static unsafe partial IntPtr rh_pad(TensorHandle x, long* pad, long n, int mode, double value);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_dropout(TensorHandle x, double p, int training);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_activation(TensorHandle x, ActivationOp op, double a, double b);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_normalize(TensorHandle x, double p, long dim, double eps);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_cosine_similarity(TensorHandle a, TensorHandle b, long dim, double eps);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_loss(TensorHandle input, TensorHandle target, LossOp op, int reduction);

    // ---- autograd, optimizers, runtime
    [LibraryImport(LibraryName)] internal static partial int rh_set_requires_grad(TensorHandle t, int requiresGrad);
    [LibraryImport(LibraryName)] internal static partial IntPtr rh_grad(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial int rh_zero_grad(TensorHandle t);
    [LibraryImport(LibraryName)] internal static partial int rh_backward(TensorHandle t, TensorHandle gradient, int retainGraph, int createGraph);
    [LibraryImport(LibraryName)]
    internal static unsafe partial int rh_autograd_grad(IntPtr* outputs, long noutputs, IntPtr* inputs, long ninputs, IntPtr* gradOutputs, int retainGraph, int createGraph, IntPtr* results);
    [LibraryImport(LibraryName)] internal static partial int rh_is_grad_enabled();
    [LibraryImport(LibraryName)] internal static partial void rh_set_grad_enabled(int enabled);
    [LibraryImport(LibraryName)]
    internal static unsafe partial int rh_adam_step(IntPtr* parameters, IntPtr* expAvg, IntPtr* expAvgSq, long n, double lr, double beta1, double beta2, double eps, double weightDecay, int decoupled, long step);
    [LibraryImport(LibraryName)] internal static unsafe partial int rh_clip_grad_norm(IntPtr* parameters, long n, double maxNorm, double normType, double* totalNorm);
    [LibraryImport(LibraryName)] internal static partial void rh_manual_seed(ulong seed);
    [LibraryImport(LibraryName)] internal static partial void rh_set_num_threads(int threads);
    [LibraryImport(LibraryName)] internal static partial int rh_get_num_threads();
    [LibraryImport(LibraryName)] internal static partial int rh_cuda_is_available();
    [LibraryImport(LibraryName)] internal static partial int rh_cuda_device_count();
    [LibraryImport(LibraryName)] internal static partial int rh_cuda_synchronize(long deviceIndex);
}

// Op codes: the order matches the enums in Native/*.cpp.
internal enum UnaryOp
{
    Neg, Abs, Exp, Log, Sqrt, Rsqrt, Sin, Cos, Tanh, Sigmoid, Relu, Gelu, Silu, Floor, Ceil, Round, Sign,
    Reciprocal, Square, LogicalNot, Log1p, Expm1, Erf, GeluTanh, IsNan, IsFinite, Trunc, Frac, Log2, Atan,
}

internal enum BinaryOp
{
    Add, Sub, Mul, Div, Pow, Maximum, Minimum, Eq, Ne, Lt, Le, Gt, Ge, Matmul, Bmm, Atan2, LogicalAnd,
    LogicalOr, Remainder, FloorDivide, Mm, ReverseSub, ReverseDiv, ReversePow, LogicalXor,
}

internal enum InplaceOp { Add, Sub, Mul, Div, Copy, Fill, Zero }

internal enum ReduceOp { Sum, Mean, Amax, Amin, Prod, Std, Var, LogSumExp, Norm, All, Any }

internal enum ScanOp { Cumsum, Cumprod, Softmax, LogSoftmax }

internal enum ShapeOp { Reshape, View, Permute, Expand, Repeat, Flip, SqueezeAll, Contiguous }

internal enum DimOp { Transpose, Squeeze, Unsqueeze, Flatten, Select, Narrow, Slice }

internal enum IndexOp { IndexSelect, Gather, MaskedSelect, ScatterAdd, Scatter, Take, IndexAdd }

internal enum PoolOp { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxPool1d, AvgPool1d }

internal enum ActivationOp { LeakyRelu, Softplus, Elu, Hardtanh }

internal enum LossOp { Mse, L1, SmoothL1, BceWithLogits, CrossEntropy, Bce }

internal enum FactoryKind { Empty, Zeros, Ones, Full, Rand, Randn, RandintHigh }
