using System.Runtime.InteropServices;
using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>
/// A loaded ONNX model. <see cref="Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// may be called from several threads at once (the C API's <c>Run</c> is thread-safe on one session).
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private readonly OrtSessionHandle _handle;
    private readonly Dictionary<string, NodeMetadata> _inputMetadata;
    private readonly Dictionary<string, NodeMetadata> _outputMetadata;
    private readonly Dictionary<string, IntPtr> _nativeNames = new(StringComparer.Ordinal);

    /// <summary>Loads the model at <paramref name="modelPath"/> with default options.</summary>
    public InferenceSession(string modelPath) : this(modelPath, null)
    {
    }

    /// <summary>Loads the model at <paramref name="modelPath"/>.</summary>
    public InferenceSession(string modelPath, SessionOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        // ONNX Runtime's own message for a missing file is terse; name the path and the working directory.
        if (!File.Exists(modelPath))
        {
            throw new OnnxRuntimeException(OrtErrorCode.NoSuchFile,
                $"Model file '{modelPath}' does not exist (resolved to '{Path.GetFullPath(modelPath)}').");
        }
        var env = OrtEnv.Instance();
        IntPtr session;
        using (var ownOptions = options is null ? new SessionOptions() : null)
        fixed (byte* path = Utf8.ToNullTerminated(modelPath))
        {
            var optionsHandle = (options ?? ownOptions!).Handle.DangerousGetHandle();
            OrtNative.ThrowIfError(OrtNative.Api.CreateSession(env.Handle.DangerousGetHandle(), path, optionsHandle, &session));
        }
        _handle = new OrtSessionHandle(session);
        (_inputMetadata, InputNames) = ReadMetadata(isInput: true);
        (_outputMetadata, OutputNames) = ReadMetadata(isInput: false);
    }

    /// <summary>Loads a model from its serialized bytes with default options.</summary>
    public InferenceSession(byte[] model) : this(model, null)
    {
    }

    /// <summary>Loads a model from its serialized bytes.</summary>
    public InferenceSession(byte[] model, SessionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        var env = OrtEnv.Instance();
        IntPtr session;
        using (var ownOptions = options is null ? new SessionOptions() : null)
        fixed (byte* data = model)
        {
            var optionsHandle = (options ?? ownOptions!).Handle.DangerousGetHandle();
            OrtNative.ThrowIfError(OrtNative.Api.CreateSessionFromArray(
                env.Handle.DangerousGetHandle(), data, (nuint)model.Length, optionsHandle, &session));
        }
        _handle = new OrtSessionHandle(session);
        (_inputMetadata, InputNames) = ReadMetadata(isInput: true);
        (_outputMetadata, OutputNames) = ReadMetadata(isInput: false);
    }

    /// <summary>Input names in the model's order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>Output names in the model's order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    /// <summary>Declared type and shape of each input.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> InputMetadata => _inputMetadata;

    /// <summary>Declared type and shape of each output.</summary>
    public IReadOnlyDictionary<string, NodeMetadata> OutputMetadata => _outputMetadata;

    /// <summary>Runs the model; ONNX Runtime allocates the outputs, which the caller disposes through the collection.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(
        RunOptions? runOptions, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputValues,
        IReadOnlyCollection<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        var outputs = new IntPtr[outputNames.Count];
        RunCore(runOptions, inputNames, inputValues, outputNames, outputs);
        var list = new List<OrtValue>(outputs.Length);
        foreach (var output in outputs) list.Add(new OrtValue(new OrtValueHandle(output)));
        return new DisposableList<OrtValue>(list);
    }

    /// <summary>Runs the model with inputs given by name.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(
        RunOptions? runOptions, IReadOnlyDictionary<string, OrtValue> inputs, IReadOnlyCollection<string> outputNames)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(runOptions, inputs.Keys.ToArray(), inputs.Values.ToArray(), outputNames);
    }

    /// <summary>Runs the model into caller-made output tensors (no allocation per run).</summary>
    public void Run(
        RunOptions? runOptions, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputValues,
        IReadOnlyCollection<string> outputNames, IReadOnlyCollection<OrtValue> outputValues)
    {
        ArgumentNullException.ThrowIfNull(outputNames);
        ArgumentNullException.ThrowIfNull(outputValues);
        if (outputNames.Count != outputValues.Count)
            throw new ArgumentException($"{outputNames.Count} output names but {outputValues.Count} output values.", nameof(outputValues));
        var outputs = new IntPtr[outputValues.Count];
        var refs = new List<SafeHandle>(outputs.Length);
        try
        {
            var i = 0;
            foreach (var value in outputValues)
            {
                var added = false;
                value.Handle.DangerousAddRef(ref added);
                refs.Add(value.Handle);
                outputs[i++] = value.Handle.DangerousGetHandle();
            }
            RunCore(runOptions, inputNames, inputValues, outputNames, outputs);
        }
        finally
        {
            foreach (var handle in refs) handle.DangerousRelease();
        }
    }

    private void RunCore(
        RunOptions? runOptions, IReadOnlyCollection<string> inputNames, IReadOnlyCollection<OrtValue> inputValues,
        IReadOnlyCollection<string> outputNames, IntPtr[] outputs)
    {
        ArgumentNullException.ThrowIfNull(inputNames);
        ArgumentNullException.ThrowIfNull(inputValues);
        if (inputNames.Count != inputValues.Count)
            throw new ArgumentException($"{inputNames.Count} input names but {inputValues.Count} input values.", nameof(inputValues));
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);

        var inputNamePointers = new IntPtr[inputNames.Count];
        var outputNamePointers = new IntPtr[outputNames.Count];
        var inputPointers = new IntPtr[inputValues.Count];
        var i = 0;
        foreach (var name in inputNames) inputNamePointers[i++] = NativeName(name);
        i = 0;
        foreach (var name in outputNames) outputNamePointers[i++] = NativeName(name);

        // Every handle a run reads stays referenced, so a concurrent Dispose cannot free it mid-call.
        var refs = new List<SafeHandle>(inputPointers.Length + 2);
        try
        {
            AddRef(_handle, refs);
            i = 0;
            foreach (var value in inputValues)
            {
                ArgumentNullException.ThrowIfNull(value, nameof(inputValues));
                inputPointers[i++] = AddRef(value.Handle, refs);
            }
            var runOptionsPointer = runOptions is null ? IntPtr.Zero : AddRef(runOptions.Handle, refs);
            fixed (IntPtr* inNames = inputNamePointers)
            fixed (IntPtr* inValues = inputPointers)
            fixed (IntPtr* outNames = outputNamePointers)
            fixed (IntPtr* outValues = outputs)
            {
                OrtNative.ThrowIfError(OrtNative.Api.Run(_handle.DangerousGetHandle(), runOptionsPointer, inNames, inValues,
                    (nuint)inputPointers.Length, outNames, (nuint)outputNamePointers.Length, outValues));
            }
        }
        finally
        {
            foreach (var handle in refs) handle.DangerousRelease();
        }
    }

    private static IntPtr AddRef(SafeHandle handle, List<SafeHandle> refs)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        refs.Add(handle);
        return handle.DangerousGetHandle();
    }

    /// <summary>Names are marshalled once per session and kept: a run passes the same few names thousands of times.</summary>
    private IntPtr NativeName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_nativeNames)
        {
            if (!_nativeNames.TryGetValue(name, out var pointer))
            {
                // An unknown name is still passed through: ONNX Runtime's error ("Invalid input name") is the clear one.
                pointer = Marshal.StringToCoTaskMemUTF8(name);
                _nativeNames.Add(name, pointer);
            }
            return pointer;
        }
    }

    private (Dictionary<string, NodeMetadata> Metadata, IReadOnlyList<string> Names) ReadMetadata(bool isInput)
    {
        var api = OrtNative.Api;
        var session = _handle.DangerousGetHandle();
        var allocator = OrtAllocator.DefaultInstance;
        nuint count;
        OrtNative.ThrowIfError(isInput ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count));
        var names = new string[(int)count];
        var metadata = new Dictionary<string, NodeMetadata>(StringComparer.Ordinal);
        for (nuint index = 0; index < count; index++)
        {
            byte* name;
            OrtNative.ThrowIfError(isInput
                ? api.SessionGetInputName(session, index, allocator.Pointer, &name)
                : api.SessionGetOutputName(session, index, allocator.Pointer, &name));
            names[(int)index] = Marshal.PtrToStringUTF8((IntPtr)name) ?? string.Empty;
            allocator.FreeMemory(name);

            IntPtr typeInfo;
            OrtNative.ThrowIfError(isInput
                ? api.SessionGetInputTypeInfo(session, index, &typeInfo)
                : api.SessionGetOutputTypeInfo(session, index, &typeInfo));
            try
            {
                int onnxType;
                OrtNative.ThrowIfError(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
                IntPtr tensorInfo;
                OrtNative.ThrowIfError(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
                metadata[names[(int)index]] = tensorInfo == IntPtr.Zero
                    ? new NodeMetadata((OnnxValueType)onnxType, 0, [], [])
                    : CreateTensorMetadata((OnnxValueType)onnxType, tensorInfo);
            }
            finally
            {
                api.ReleaseTypeInfo(typeInfo);
            }
        }
        return (metadata, names);
    }

    private static NodeMetadata CreateTensorMetadata(OnnxValueType onnxType, IntPtr tensorInfo)
    {
        // Owned by the type info: not released separately.
        var info = OrtTensorTypeAndShapeInfo.Read(tensorInfo, out var symbols);
        return new NodeMetadata(onnxType, info.ElementDataType, info.Shape, symbols);
    }

    public void Dispose()
    {
        _handle.Dispose();
        lock (_nativeNames)
        {
            foreach (var pointer in _nativeNames.Values) Marshal.FreeCoTaskMem(pointer);
            _nativeNames.Clear();
        }
    }
}
