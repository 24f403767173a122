using System.Runtime.InteropServices;
using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>
/// The process-wide ONNX Runtime environment (one <c>OrtEnv</c> per process, as the C API requires). It lives as long as
/// the process: sessions hold no reference to it, so releasing it early would free what they use.
/// </summary>
public sealed unsafe class OrtEnv
{
    private static readonly Lazy<OrtEnv> LazyInstance = new(() => new OrtEnv(), LazyThreadSafetyMode.ExecutionAndPublication);

    private OrtEnv()
    {
        IntPtr env;
        fixed (byte* logId = "RealtimeHead\0"u8)
        {
            // Only errors: warnings such as "initializer appears in graph inputs" would flood the service log.
            OrtNative.ThrowIfError(OrtNative.Api.CreateEnv((int)OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, logId, &env));
        }
        Handle = new OrtEnvHandle(env);
        GC.SuppressFinalize(Handle);
    }

    internal OrtEnvHandle Handle { get; }

    /// <summary>The environment, created (and the library loaded) on first use.</summary>
    public static OrtEnv Instance() => LazyInstance.Value;

    /// <summary>The library's version string ("1.30.0").</summary>
    public string GetVersionString() => OrtNative.VersionString;

    /// <summary>Execution providers compiled into the library ("CPUExecutionProvider", "CUDAExecutionProvider" ...).</summary>
    public string[] GetAvailableProviders()
    {
        byte** names;
        int count;
        OrtNative.ThrowIfError(OrtNative.Api.GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++) result[i] = Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? string.Empty;
            return result;
        }
        finally
        {
            OrtNative.ThrowIfError(OrtNative.Api.ReleaseAvailableProviders(names, count));
        }
    }
}
