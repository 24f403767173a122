using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>ONNX Runtime's default CPU allocator (owned by the library, never released).</summary>
public sealed unsafe class OrtAllocator
{
    private static readonly Lazy<OrtAllocator> LazyDefault = new(() => new OrtAllocator(), LazyThreadSafetyMode.ExecutionAndPublication);

    private OrtAllocator()
    {
        _ = OrtEnv.Instance();
        IntPtr allocator;
        OrtNative.ThrowIfError(OrtNative.Api.GetAllocatorWithDefaultOptions(&allocator));
        Pointer = allocator;
    }

    /// <summary>The default allocator.</summary>
    public static OrtAllocator DefaultInstance => LazyDefault.Value;

    internal IntPtr Pointer { get; }

    /// <summary>Frees memory that ONNX Runtime allocated with this allocator (e.g. an input name).</summary>
    internal void FreeMemory(void* memory) => OrtNative.ThrowIfError(OrtNative.Api.AllocatorFree(Pointer, memory));
}
