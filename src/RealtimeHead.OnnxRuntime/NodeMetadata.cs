namespace RealtimeHead.OnnxRuntime;

/// <summary>Type and shape of one model input or output, as the model declares it.</summary>
public sealed class NodeMetadata
{
    internal NodeMetadata(OnnxValueType onnxValueType, TensorElementType elementDataType, long[] dimensions, string[] symbolicDimensions)
    {
        OnnxValueType = onnxValueType;
        ElementDataType = elementDataType;
        Dimensions = Array.ConvertAll(dimensions, d => (int)d);
        SymbolicDimensions = symbolicDimensions;
    }

    /// <summary>Tensor, sequence, map ...</summary>
    public OnnxValueType OnnxValueType { get; }

    /// <summary>Element type when <see cref="IsTensor"/>.</summary>
    public TensorElementType ElementDataType { get; }

    /// <summary>Declared dimensions; -1 where the dimension is symbolic or free.</summary>
    public int[] Dimensions { get; }

    /// <summary>Names of symbolic dimensions ("batch", "sequence"), empty strings where the dimension is fixed or unnamed.</summary>
    public string[] SymbolicDimensions { get; }

    public bool IsTensor => OnnxValueType == OnnxValueType.ONNX_TYPE_TENSOR;

    /// <summary>The .NET element type matching <see cref="ElementDataType"/>.</summary>
    public Type ElementType => TensorElementTypes.ToClrType(ElementDataType);

    public override string ToString() =>
        IsTensor ? $"{ElementDataType}[{string.Join(", ", Dimensions.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "?"))}]" : OnnxValueType.ToString();
}
