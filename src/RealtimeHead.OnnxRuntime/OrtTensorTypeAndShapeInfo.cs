using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime;

/// <summary>Element type and shape of a tensor value.</summary>
/// <param name="ElementDataType">The element type.</param>
/// <param name="Shape">Dimensions; -1 marks a dimension that is not fixed (model metadata only).</param>
public readonly record struct OrtTensorTypeAndShapeInfo(TensorElementType ElementDataType, long[] Shape)
{
    /// <summary>Number of elements (the product of <see cref="Shape"/>), or -1 when a dimension is not fixed.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dimension in Shape)
            {
                if (dimension < 0) return -1;
                count *= dimension;
            }
            return count;
        }
    }

    /// <summary>Reads an <c>OrtTensorTypeAndShapeInfo*</c> (not released here).</summary>
    internal static unsafe OrtTensorTypeAndShapeInfo Read(IntPtr info, out string[] symbolicDimensions)
    {
        var api = OrtNative.Api;
        int elementType;
        nuint rank;
        OrtNative.ThrowIfError(api.GetTensorElementType(info, &elementType));
        OrtNative.ThrowIfError(api.GetDimensionsCount(info, &rank));
        var shape = new long[(int)rank];
        var symbols = new byte*[(int)rank];
        fixed (long* dims = shape)
        fixed (byte** names = symbols)
        {
            OrtNative.ThrowIfError(api.GetDimensions(info, dims, rank));
            OrtNative.ThrowIfError(api.GetSymbolicDimensions(info, names, rank));
        }
        symbolicDimensions = new string[(int)rank];
        for (var i = 0; i < symbols.Length; i++)
            symbolicDimensions[i] = symbols[i] == null ? string.Empty : System.Runtime.InteropServices.Marshal.PtrToStringUTF8((IntPtr)symbols[i]) ?? string.Empty;
        return new OrtTensorTypeAndShapeInfo((TensorElementType)elementType, shape);
    }
}
