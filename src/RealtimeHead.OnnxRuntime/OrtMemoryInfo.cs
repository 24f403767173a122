using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>Where a tensor's memory lives. Only CPU memory is described here: tensors are made over managed arrays.</summary>
public sealed unsafe class OrtMemoryInfo
{
    private static readonly Lazy<OrtMemoryInfo> LazyDefault = new(() => new OrtMemoryInfo(), LazyThreadSafetyMode.ExecutionAndPublication);

    private OrtMemoryInfo()
    {
        _ = OrtEnv.Instance();
        IntPtr info;
        // OrtArenaAllocator = 1, OrtMemTypeDefault = 0: plain CPU memory, as the official API's DefaultInstance.
        OrtNative.ThrowIfError(OrtNative.Api.CreateCpuMemoryInfo(1, 0, &info));
        Handle = new OrtMemoryInfoHandle(info);
        GC.SuppressFinalize(Handle);
    }

    /// <summary>CPU memory; lives as long as the process.</summary>
    public static OrtMemoryInfo DefaultInstance => LazyDefault.Value;

    internal OrtMemoryInfoHandle Handle { get; }
}
