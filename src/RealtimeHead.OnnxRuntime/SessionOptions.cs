using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>Options for creating an <see cref="InferenceSession"/> (threads, graph optimisation, execution providers).</summary>
public sealed unsafe class SessionOptions : IDisposable
{
    private int _intraOpNumThreads;
    private int _interOpNumThreads;
    private GraphOptimizationLevel _graphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
    private ExecutionMode _executionMode = ExecutionMode.ORT_SEQUENTIAL;

    public SessionOptions()
    {
        _ = OrtEnv.Instance();
        IntPtr options;
        OrtNative.ThrowIfError(OrtNative.Api.CreateSessionOptions(&options));
        Handle = new OrtSessionOptionsHandle(options);
    }

    internal OrtSessionOptionsHandle Handle { get; }

    /// <summary>Threads used inside one operator (0, the default, lets ONNX Runtime pick one per physical core).</summary>
    public int IntraOpNumThreads
    {
        get => _intraOpNumThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            OrtNative.ThrowIfError(OrtNative.Api.SetIntraOpNumThreads(Handle.DangerousGetHandle(), value));
            _intraOpNumThreads = value;
        }
    }

    /// <summary>Threads used across independent operators in <see cref="ExecutionMode.ORT_PARALLEL"/> (0 = default).</summary>
    public int InterOpNumThreads
    {
        get => _interOpNumThreads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            OrtNative.ThrowIfError(OrtNative.Api.SetInterOpNumThreads(Handle.DangerousGetHandle(), value));
            _interOpNumThreads = value;
        }
    }

    /// <summary>Graph optimisation level (default <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>).</summary>
    public GraphOptimizationLevel GraphOptimizationLevel
    {
        get => _graphOptimizationLevel;
        set
        {
            OrtNative.ThrowIfError(OrtNative.Api.SetSessionGraphOptimizationLevel(Handle.DangerousGetHandle(), (int)value));
            _graphOptimizationLevel = value;
        }
    }

    /// <summary>Sequential (default) or parallel execution of independent branches.</summary>
    public ExecutionMode ExecutionMode
    {
        get => _executionMode;
        set
        {
            OrtNative.ThrowIfError(OrtNative.Api.SetSessionExecutionMode(Handle.DangerousGetHandle(), (int)value));
            _executionMode = value;
        }
    }

    /// <summary>
    /// Whether the loaded library lists the CUDA execution provider. Listing is not loading: the provider lives in
    /// libonnxruntime_providers_cuda.so (plus the CUDA and cuDNN libraries), which must sit beside the main library.
    /// </summary>
    public static bool IsCudaProviderAvailable() =>
        Array.IndexOf(OrtEnv.Instance().GetAvailableProviders(), "CUDAExecutionProvider") >= 0;

    /// <summary>
    /// Prefers the CUDA execution provider on <paramref name="deviceId"/> (unsupported nodes fall back to the CPU).
    /// Throws <see cref="OnnxRuntimeException"/> when the library has no CUDA provider or cannot load it: the
    /// onnxruntime-node 1.30.0 library that ./setup.sh deps extracts lists CUDA but ships without its provider library.
    /// </summary>
    public void AppendExecutionProvider_CUDA(int deviceId = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        var providers = OrtEnv.Instance().GetAvailableProviders();
        if (Array.IndexOf(providers, "CUDAExecutionProvider") < 0)
        {
            throw new OnnxRuntimeException(OrtErrorCode.NotImplemented,
                $"The ONNX Runtime library ({OrtEnv.Instance().GetVersionString()}) was built without the CUDA execution " +
                $"provider (available: {string.Join(", ", providers)}). Point RH_ONNXRUNTIME_PATH at a CUDA build " +
                "(onnxruntime-gpu) to run on the GPU, or stay on the CPU.");
        }
        try
        {
            OrtNative.ThrowIfError(OrtNative.OrtSessionOptionsAppendExecutionProvider_CUDA(Handle.DangerousGetHandle(), deviceId));
        }
        catch (OnnxRuntimeException error)
        {
            throw new OnnxRuntimeException(error.ErrorCode,
                $"The CUDA execution provider could not be enabled on device {deviceId}: {error.Message}. It needs " +
                "libonnxruntime_providers_shared.so and libonnxruntime_providers_cuda.so beside libonnxruntime.so.1 and " +
                "the CUDA 12 / cuDNN 9 libraries on the loader path; without them sessions run on the CPU.");
        }
    }

    /// <summary>Appends CUDA when the library can load it; returns whether it did (the caller logs the CPU fallback).</summary>
    public bool TryAppendExecutionProvider_CUDA(int deviceId = 0)
    {
        if (!IsCudaProviderAvailable()) return false;
        try
        {
            AppendExecutionProvider_CUDA(deviceId);
            return true;
        }
        catch (OnnxRuntimeException)
        {
            return false;
        }
    }

    public void Dispose() => Handle.Dispose();
}
