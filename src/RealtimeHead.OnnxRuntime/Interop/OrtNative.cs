using System.Reflection;
using System.Runtime.InteropServices;

namespace RealtimeHead.OnnxRuntime.Interop;

/// <summary>
/// The ONNX Runtime C API as this project uses it. The library exports one entry point, <c>OrtGetApiBase</c>; every
/// other function is a pointer in <c>struct OrtApi</c> (include/onnxruntime/core/session/onnxruntime_c_api.h), read
/// here by its index. The struct is append-only ("End of Version 1 - DO NOT MODIFY ABOVE"), so the indices below, all
/// from versions 1 and 2 of the table, hold for every later version; <see cref="ApiVersion"/> asks for the table of
/// ONNX Runtime 1.30, the version onnxruntime-node 1.30.0 ships.
/// </summary>
internal static unsafe partial class OrtNative
{
    internal const string LibraryName = "onnxruntime";
    internal const string SharedObjectName = "libonnxruntime.so.1";

    /// <summary>ORT_API_VERSION of ONNX Runtime 1.30 (the API version follows the minor release number).</summary>
    internal const uint ApiVersion = 30;

    // Indices into struct OrtApi, counted in the header at microsoft/onnxruntime@44885662 (ORT_API_VERSION 8). Version 1
    // of the table ends at ReleaseCustomOpDomain = 101; later versions only append (GetAvailableProviders = 125 came
    // with version 2), so no entry ever moves.
    internal const int CreateStatusIndex = 0;
    internal const int GetErrorCodeIndex = 1;
    internal const int GetErrorMessageIndex = 2;
    internal const int CreateEnvIndex = 3;
    internal const int CreateSessionIndex = 7;
    internal const int CreateSessionFromArrayIndex = 8;
    internal const int RunIndex = 9;
    internal const int CreateSessionOptionsIndex = 10;
    internal const int SetSessionExecutionModeIndex = 13;
    internal const int SetSessionGraphOptimizationLevelIndex = 23;
    internal const int SetIntraOpNumThreadsIndex = 24;
    internal const int SetInterOpNumThreadsIndex = 25;
    internal const int SessionGetInputCountIndex = 30;
    internal const int SessionGetOutputCountIndex = 31;
    internal const int SessionGetInputTypeInfoIndex = 33;
    internal const int SessionGetOutputTypeInfoIndex = 34;
    internal const int SessionGetInputNameIndex = 36;
    internal const int SessionGetOutputNameIndex = 37;
    internal const int CreateRunOptionsIndex = 39;
    internal const int RunOptionsSetRunLogSeverityLevelIndex = 41;
    internal const int RunOptionsSetRunTagIndex = 42;
    internal const int RunOptionsSetTerminateIndex = 46;
    internal const int RunOptionsUnsetTerminateIndex = 47;
    internal const int CreateTensorAsOrtValueIndex = 48;
    internal const int CreateTensorWithDataAsOrtValueIndex = 49;
    internal const int IsTensorIndex = 50;
    internal const int GetTensorMutableDataIndex = 51;
    internal const int CastTypeInfoToTensorInfoIndex = 55;
    internal const int GetOnnxTypeFromTypeInfoIndex = 56;
    internal const int GetTensorElementTypeIndex = 60;
    internal const int GetDimensionsCountIndex = 61;
    internal const int GetDimensionsIndex = 62;
    internal const int GetSymbolicDimensionsIndex = 63;
    internal const int GetTensorTypeAndShapeIndex = 65;
    internal const int GetValueTypeIndex = 67;
    internal const int CreateCpuMemoryInfoIndex = 69;
    internal const int AllocatorFreeIndex = 76;
    internal const int GetAllocatorWithDefaultOptionsIndex = 78;
    internal const int ReleaseEnvIndex = 92;
    internal const int ReleaseStatusIndex = 93;
    internal const int ReleaseMemoryInfoIndex = 94;
    internal const int ReleaseSessionIndex = 95;
    internal const int ReleaseValueIndex = 96;
    internal const int ReleaseRunOptionsIndex = 97;
    internal const int ReleaseTypeInfoIndex = 98;
    internal const int ReleaseTensorTypeAndShapeInfoIndex = 99;
    internal const int ReleaseSessionOptionsIndex = 100;
    internal const int GetAvailableProvidersIndex = 125;
    internal const int ReleaseAvailableProvidersIndex = 126;

    private static readonly Lazy<ApiTable> LazyApi = new(LoadApi, LazyThreadSafetyMode.ExecutionAndPublication);

    static OrtNative() => NativeLibrary.SetDllImportResolver(typeof(OrtNative).Assembly, Resolve);

    /// <summary>The function table; the first use loads the library and throws a clear error when it is missing.</summary>
    internal static ApiTable Api => LazyApi.Value;

    /// <summary>The version string the library reports ("1.30.0").</summary>
    internal static string VersionString { get; private set; } = string.Empty;

    [LibraryImport(LibraryName)]
    private static partial IntPtr OrtGetApiBase();

    /// <summary>Exported by the library itself (cuda_provider_factory.h); fails when the build has no CUDA provider.</summary>
    [LibraryImport(LibraryName)]
    internal static partial IntPtr OrtSessionOptionsAppendExecutionProvider_CUDA(IntPtr options, int deviceId);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibraryName
            ? Load(Environment.GetEnvironmentVariable("RH_ONNXRUNTIME_PATH"), AppContext.BaseDirectory, assembly, searchPath)
            : IntPtr.Zero;

    /// <summary>RH_ONNXRUNTIME_PATH first, then the application's directory, then the loader's search path.</summary>
    internal static IntPtr Load(string? overridePath, string applicationDirectory, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (!string.IsNullOrEmpty(overridePath))
        {
            if (NativeLibrary.TryLoad(overridePath, out var fromEnvironment)) return fromEnvironment;
            throw new DllNotFoundException(
                $"RH_ONNXRUNTIME_PATH points at '{overridePath}', which could not be loaded as the ONNX Runtime library " +
                "(unset it to use the copy that ./setup.sh deps puts beside the application).");
        }
        var besideApplication = Path.Combine(applicationDirectory, SharedObjectName);
        if (File.Exists(besideApplication) && NativeLibrary.TryLoad(besideApplication, out var beside)) return beside;
        if (NativeLibrary.TryLoad(SharedObjectName, assembly, searchPath, out var handle)) return handle;
        throw new DllNotFoundException(MissingLibraryMessage(applicationDirectory));
    }

    internal static string MissingLibraryMessage(string applicationDirectory) =>
        $"{SharedObjectName} (ONNX Runtime 1.30) was not found beside the application ({applicationDirectory}). " +
        "Run ./setup.sh deps, which extracts it from the npm package onnxruntime-node 1.30.0 into artifacts/native/, " +
        "then rebuild; or set RH_ONNXRUNTIME_PATH to the library's path.";

    private static ApiTable LoadApi()
    {
        var apiBase = OrtGetApiBase();
        if (apiBase == IntPtr.Zero) throw new OnnxRuntimeException(OrtErrorCode.Fail, "OrtGetApiBase returned null.");
        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        var getApi = (delegate* unmanaged<uint, IntPtr>)((IntPtr*)apiBase)[0];
        var getVersionString = (delegate* unmanaged<byte*>)((IntPtr*)apiBase)[1];
        VersionString = Marshal.PtrToStringUTF8((IntPtr)getVersionString()) ?? string.Empty;
        var table = getApi(ApiVersion);
        if (table == IntPtr.Zero)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                $"The ONNX Runtime library is version {VersionString}, which does not implement C API version {ApiVersion} " +
                "(ONNX Runtime 1.30 or newer is needed): run ./setup.sh deps or point RH_ONNXRUNTIME_PATH at a newer library.");
        }
        return new ApiTable((IntPtr*)table);
    }

    /// <summary>Whether the loaded library hands out the function table of C API <paramref name="version"/>.</summary>
    internal static bool IsApiVersionSupported(uint version)
    {
        _ = Api;
        var getApi = (delegate* unmanaged<uint, IntPtr>)((IntPtr*)OrtGetApiBase())[0];
        return getApi(version) != IntPtr.Zero;
    }

    /// <summary>Turns a non-null <c>OrtStatus*</c> into an exception, releasing the status.</summary>
    internal static void ThrowIfError(IntPtr status)
    {
        if (status == IntPtr.Zero) return;
        var api = Api;
        var code = (OrtErrorCode)api.GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((IntPtr)api.GetErrorMessage(status)) ?? "(no message)";
        api.ReleaseStatus(status);
        throw new OnnxRuntimeException(code, message);
    }

    /// <summary>The function pointers this binding calls, read once from <c>const OrtApi*</c>.</summary>
    internal sealed class ApiTable
    {
        internal ApiTable(IntPtr* t)
        {
            Table = t;
            CreateStatus = (delegate* unmanaged<int, byte*, IntPtr>)t[CreateStatusIndex];
            GetErrorCode = (delegate* unmanaged<IntPtr, int>)t[GetErrorCodeIndex];
            GetErrorMessage = (delegate* unmanaged<IntPtr, byte*>)t[GetErrorMessageIndex];
            CreateEnv = (delegate* unmanaged<int, byte*, IntPtr*, IntPtr>)t[CreateEnvIndex];
            CreateSession = (delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)t[CreateSessionIndex];
            CreateSessionFromArray = (delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr>)t[CreateSessionFromArrayIndex];
            Run = (delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)t[RunIndex];
            CreateSessionOptions = (delegate* unmanaged<IntPtr*, IntPtr>)t[CreateSessionOptionsIndex];
            SetSessionExecutionMode = (delegate* unmanaged<IntPtr, int, IntPtr>)t[SetSessionExecutionModeIndex];
            SetSessionGraphOptimizationLevel = (delegate* unmanaged<IntPtr, int, IntPtr>)t[SetSessionGraphOptimizationLevelIndex];
            SetIntraOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)t[SetIntraOpNumThreadsIndex];
            SetInterOpNumThreads = (delegate* unmanaged<IntPtr, int, IntPtr>)t[SetInterOpNumThreadsIndex];
            SessionGetInputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)t[SessionGetInputCountIndex];
            SessionGetOutputCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)t[SessionGetOutputCountIndex];
            SessionGetInputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)t[SessionGetInputTypeInfoIndex];
            SessionGetOutputTypeInfo = (delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr>)t[SessionGetOutputTypeInfoIndex];
            SessionGetInputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)t[SessionGetInputNameIndex];
            SessionGetOutputName = (delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr>)t[SessionGetOutputNameIndex];
            CreateRunOptions = (delegate* unmanaged<IntPtr*, IntPtr>)t[CreateRunOptionsIndex];
            RunOptionsSetRunLogSeverityLevel = (delegate* unmanaged<IntPtr, int, IntPtr>)t[RunOptionsSetRunLogSeverityLevelIndex];
            RunOptionsSetRunTag = (delegate* unmanaged<IntPtr, byte*, IntPtr>)t[RunOptionsSetRunTagIndex];
            RunOptionsSetTerminate = (delegate* unmanaged<IntPtr, IntPtr>)t[RunOptionsSetTerminateIndex];
            RunOptionsUnsetTerminate = (delegate* unmanaged<IntPtr, IntPtr>)t[RunOptionsUnsetTerminateIndex];
            CreateTensorAsOrtValue = (delegate* unmanaged<IntPtr, long*, nuint, int, IntPtr*, IntPtr>)t[CreateTensorAsOrtValueIndex];
            CreateTensorWithDataAsOrtValue = (delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)t[CreateTensorWithDataAsOrtValueIndex];
            IsTensor = (delegate* unmanaged<IntPtr, int*, IntPtr>)t[IsTensorIndex];
            GetTensorMutableData = (delegate* unmanaged<IntPtr, void**, IntPtr>)t[GetTensorMutableDataIndex];
            CastTypeInfoToTensorInfo = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)t[CastTypeInfoToTensorInfoIndex];
            GetOnnxTypeFromTypeInfo = (delegate* unmanaged<IntPtr, int*, IntPtr>)t[GetOnnxTypeFromTypeInfoIndex];
            GetTensorElementType = (delegate* unmanaged<IntPtr, int*, IntPtr>)t[GetTensorElementTypeIndex];
            GetDimensionsCount = (delegate* unmanaged<IntPtr, nuint*, IntPtr>)t[GetDimensionsCountIndex];
            GetDimensions = (delegate* unmanaged<IntPtr, long*, nuint, IntPtr>)t[GetDimensionsIndex];
            GetSymbolicDimensions = (delegate* unmanaged<IntPtr, byte**, nuint, IntPtr>)t[GetSymbolicDimensionsIndex];
            GetTensorTypeAndShape = (delegate* unmanaged<IntPtr, IntPtr*, IntPtr>)t[GetTensorTypeAndShapeIndex];
            GetValueType = (delegate* unmanaged<IntPtr, int*, IntPtr>)t[GetValueTypeIndex];
            CreateCpuMemoryInfo = (delegate* unmanaged<int, int, IntPtr*, IntPtr>)t[CreateCpuMemoryInfoIndex];
            AllocatorFree = (delegate* unmanaged<IntPtr, void*, IntPtr>)t[AllocatorFreeIndex];
            GetAllocatorWithDefaultOptions = (delegate* unmanaged<IntPtr*, IntPtr>)t[GetAllocatorWithDefaultOptionsIndex];
            ReleaseEnv = (delegate* unmanaged<IntPtr, void>)t[ReleaseEnvIndex];
            ReleaseStatus = (delegate* unmanaged<IntPtr, void>)t[ReleaseStatusIndex];
            ReleaseMemoryInfo = (delegate* unmanaged<IntPtr, void>)t[ReleaseMemoryInfoIndex];
            ReleaseSession = (delegate* unmanaged<IntPtr, void>)t[ReleaseSessionIndex];
            ReleaseValue = (delegate* unmanaged<IntPtr, void>)t[ReleaseValueIndex];
            ReleaseRunOptions = (delegate* unmanaged<IntPtr, void>)t[ReleaseRunOptionsIndex];
            ReleaseTypeInfo = (delegate* unmanaged<IntPtr, void>)t[ReleaseTypeInfoIndex];
            ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<IntPtr, void>)t[ReleaseTensorTypeAndShapeInfoIndex];
            ReleaseSessionOptions = (delegate* unmanaged<IntPtr, void>)t[ReleaseSessionOptionsIndex];
            GetAvailableProviders = (delegate* unmanaged<byte***, int*, IntPtr>)t[GetAvailableProvidersIndex];
            ReleaseAvailableProviders = (delegate* unmanaged<byte**, int, IntPtr>)t[ReleaseAvailableProvidersIndex];
        }

        /// <summary>The raw table, for the tests that check every index used here points at a function.</summary>
        internal readonly IntPtr* Table;
        internal readonly delegate* unmanaged<int, byte*, IntPtr> CreateStatus;
        internal readonly delegate* unmanaged<IntPtr, int> GetErrorCode;
        internal readonly delegate* unmanaged<IntPtr, byte*> GetErrorMessage;
        internal readonly delegate* unmanaged<int, byte*, IntPtr*, IntPtr> CreateEnv;
        internal readonly delegate* unmanaged<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession;
        internal readonly delegate* unmanaged<IntPtr, void*, nuint, IntPtr, IntPtr*, IntPtr> CreateSessionFromArray;
        internal readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run;
        internal readonly delegate* unmanaged<IntPtr*, IntPtr> CreateSessionOptions;
        internal readonly delegate* unmanaged<IntPtr, int, IntPtr> SetSessionExecutionMode;
        internal readonly delegate* unmanaged<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
        internal readonly delegate* unmanaged<IntPtr, int, IntPtr> SetIntraOpNumThreads;
        internal readonly delegate* unmanaged<IntPtr, int, IntPtr> SetInterOpNumThreads;
        internal readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetInputCount;
        internal readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
        internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
        internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
        internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
        internal readonly delegate* unmanaged<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
        internal readonly delegate* unmanaged<IntPtr*, IntPtr> CreateRunOptions;
        internal readonly delegate* unmanaged<IntPtr, int, IntPtr> RunOptionsSetRunLogSeverityLevel;
        internal readonly delegate* unmanaged<IntPtr, byte*, IntPtr> RunOptionsSetRunTag;
        internal readonly delegate* unmanaged<IntPtr, IntPtr> RunOptionsSetTerminate;
        internal readonly delegate* unmanaged<IntPtr, IntPtr> RunOptionsUnsetTerminate;
        internal readonly delegate* unmanaged<IntPtr, long*, nuint, int, IntPtr*, IntPtr> CreateTensorAsOrtValue;
        internal readonly delegate* unmanaged<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
        internal readonly delegate* unmanaged<IntPtr, int*, IntPtr> IsTensor;
        internal readonly delegate* unmanaged<IntPtr, void**, IntPtr> GetTensorMutableData;
        internal readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
        internal readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetOnnxTypeFromTypeInfo;
        internal readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetTensorElementType;
        internal readonly delegate* unmanaged<IntPtr, nuint*, IntPtr> GetDimensionsCount;
        internal readonly delegate* unmanaged<IntPtr, long*, nuint, IntPtr> GetDimensions;
        internal readonly delegate* unmanaged<IntPtr, byte**, nuint, IntPtr> GetSymbolicDimensions;
        internal readonly delegate* unmanaged<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
        internal readonly delegate* unmanaged<IntPtr, int*, IntPtr> GetValueType;
        internal readonly delegate* unmanaged<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
        internal readonly delegate* unmanaged<IntPtr, void*, IntPtr> AllocatorFree;
        internal readonly delegate* unmanaged<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseEnv;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseStatus;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseMemoryInfo;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseSession;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseValue;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseRunOptions;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseTypeInfo;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
        internal readonly delegate* unmanaged<IntPtr, void> ReleaseSessionOptions;
        internal readonly delegate* unmanaged<byte***, int*, IntPtr> GetAvailableProviders;
        internal readonly delegate* unmanaged<byte**, int, IntPtr> ReleaseAvailableProviders;
    }
}
