namespace RealtimeHead.OnnxRuntime;

/// <summary>Maps .NET element types to ONNX element types.</summary>
internal static class TensorElementTypes
{
    internal static TensorElementType FromClrType<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? TensorElementType.Float
        : typeof(T) == typeof(long) ? TensorElementType.Int64
        : typeof(T) == typeof(int) ? TensorElementType.Int32
        : typeof(T) == typeof(double) ? TensorElementType.Double
        : typeof(T) == typeof(byte) ? TensorElementType.UInt8
        : typeof(T) == typeof(sbyte) ? TensorElementType.Int8
        : typeof(T) == typeof(short) ? TensorElementType.Int16
        : typeof(T) == typeof(ushort) ? TensorElementType.UInt16
        : typeof(T) == typeof(uint) ? TensorElementType.UInt32
        : typeof(T) == typeof(ulong) ? TensorElementType.UInt64
        : typeof(T) == typeof(bool) ? TensorElementType.Bool
        : throw new NotSupportedException($"{typeof(T).Name} has no ONNX tensor element type in this binding.");

    internal static Type ToClrType(TensorElementType type) => type switch
    {
        TensorElementType.Float => typeof(float),
        TensorElementType.Int64 => typeof(long),
        TensorElementType.Int32 => typeof(int),
        TensorElementType.Double => typeof(double),
        TensorElementType.UInt8 => typeof(byte),
        TensorElementType.Int8 => typeof(sbyte),
        TensorElementType.Int16 => typeof(short),
        TensorElementType.UInt16 => typeof(ushort),
        TensorElementType.UInt32 => typeof(uint),
        TensorElementType.UInt64 => typeof(ulong),
        TensorElementType.Bool => typeof(bool),
        TensorElementType.String => typeof(string),
        _ => typeof(object),
    };
}
