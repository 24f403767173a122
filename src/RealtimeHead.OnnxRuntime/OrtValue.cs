using System.Buffers;
using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>
/// A tensor (or other ONNX value) passed to or returned from a run. A tensor made over managed memory keeps that
/// memory pinned until it is disposed: dispose every value (outputs through their collection).
/// </summary>
public sealed unsafe class OrtValue : IDisposable
{
    private MemoryHandle _pin;
    private bool _pinned;

    internal OrtValue(OrtValueHandle handle) => Handle = handle;

    private OrtValue(OrtValueHandle handle, MemoryHandle pin) : this(handle)
    {
        _pin = pin;
        _pinned = true;
    }

    internal OrtValueHandle Handle { get; }

    /// <summary>A tensor over <paramref name="data"/> (no copy: writes to the array are visible to the next run).</summary>
    public static OrtValue CreateTensorValueFromMemory<T>(T[] data, long[] shape) where T : unmanaged =>
        CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<T>(data), shape);

    /// <summary>A tensor over <paramref name="memory"/>, which must hold exactly the product of <paramref name="shape"/> elements.</summary>
    public static OrtValue CreateTensorValueFromMemory<T>(OrtMemoryInfo memoryInfo, Memory<T> memory, long[] shape) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(memoryInfo);
        ArgumentNullException.ThrowIfNull(shape);
        var elementType = TensorElementTypes.FromClrType<T>();
        var count = CheckedElementCount(shape);
        if (count != memory.Length)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"Shape [{string.Join(", ", shape)}] needs {count} elements but the buffer holds {memory.Length}.");
        }
        var pin = memory.Pin();
        try
        {
            IntPtr value;
            long scalarShape = 0;
            fixed (long* dims = shape)
            {
                OrtNative.ThrowIfError(OrtNative.Api.CreateTensorWithDataAsOrtValue(
                    memoryInfo.Handle.DangerousGetHandle(), pin.Pointer, (nuint)(memory.Length * sizeof(T)),
                    shape.Length == 0 ? &scalarShape : dims, (nuint)shape.Length, (int)elementType, &value));
            }
            return new OrtValue(new OrtValueHandle(value), pin);
        }
        catch
        {
            pin.Dispose();
            throw;
        }
    }

    /// <summary>A tensor whose memory ONNX Runtime allocates (contents undefined until written).</summary>
    public static OrtValue CreateAllocatedTensorValue(OrtAllocator allocator, TensorElementType elementType, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(shape);
        _ = CheckedElementCount(shape);
        IntPtr value;
        long scalarShape = 0;
        fixed (long* dims = shape)
        {
            OrtNative.ThrowIfError(OrtNative.Api.CreateTensorAsOrtValue(
                allocator.Pointer, shape.Length == 0 ? &scalarShape : dims, (nuint)shape.Length, (int)elementType, &value));
        }
        return new OrtValue(new OrtValueHandle(value));
    }

    /// <summary>Whether this value is a tensor.</summary>
    public bool IsTensor
    {
        get
        {
            int isTensor;
            OrtNative.ThrowIfError(OrtNative.Api.IsTensor(Handle.DangerousGetHandle(), &isTensor));
            return isTensor != 0;
        }
    }

    /// <summary>Tensor, sequence, map ...</summary>
    public OnnxValueType OnnxType
    {
        get
        {
            int type;
            OrtNative.ThrowIfError(OrtNative.Api.GetValueType(Handle.DangerousGetHandle(), &type));
            return (OnnxValueType)type;
        }
    }

    /// <summary>The tensor's element type and shape.</summary>
    public OrtTensorTypeAndShapeInfo GetTensorTypeAndShape()
    {
        IntPtr info;
        OrtNative.ThrowIfError(OrtNative.Api.GetTensorTypeAndShape(Handle.DangerousGetHandle(), &info));
        try
        {
            return OrtTensorTypeAndShapeInfo.Read(info, out _);
        }
        finally
        {
            OrtNative.Api.ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    /// <summary>The tensor's elements, valid until this value is disposed.</summary>
    public ReadOnlySpan<T> GetTensorDataAsSpan<T>() where T : unmanaged => GetTensorMutableDataAsSpan<T>();

    /// <summary>The tensor's elements for writing, valid until this value is disposed.</summary>
    public Span<T> GetTensorMutableDataAsSpan<T>() where T : unmanaged
    {
        var info = GetTensorTypeAndShape();
        var expected = TensorElementTypes.FromClrType<T>();
        if (info.ElementDataType != expected)
        {
            throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument,
                $"The tensor holds {info.ElementDataType} elements, not {expected} ({typeof(T).Name}).");
        }
        void* data;
        OrtNative.ThrowIfError(OrtNative.Api.GetTensorMutableData(Handle.DangerousGetHandle(), &data));
        return new Span<T>(data, checked((int)info.ElementCount));
    }

    public void Dispose()
    {
        Handle.Dispose();
        if (_pinned)
        {
            _pinned = false;
            _pin.Dispose();
        }
    }

    private static long CheckedElementCount(long[] shape)
    {
        long count = 1;
        foreach (var dimension in shape)
        {
            if (dimension < 0)
                throw new OnnxRuntimeException(OrtErrorCode.InvalidArgument, $"Shape [{string.Join(", ", shape)}] has a negative dimension.");
            count = checked(count * dimension);
        }
        return count;
    }
}
