using System.Buffers.Binary;
using System.Text;

namespace RealtimeHead.OnnxRuntime.Tests.Onnx;

/// <summary>
/// Writes a minimal ONNX ModelProto (onnx/onnx.proto field numbers) so tests make their own models: no protobuf
/// package, no model files. Dimensions are ints (fixed) or strings (symbolic); initializers are stored as raw_data.
/// </summary>
internal sealed class OnnxModelBuilder(string graphName = "test")
{
    // TensorProto.DataType values.
    internal const int Float = 1;
    internal const int Int64 = 7;

    private readonly List<byte[]> _nodes = [];
    private readonly List<byte[]> _initializers = [];
    private readonly List<byte[]> _inputs = [];
    private readonly List<byte[]> _outputs = [];
    private int _nodeCount;

    public OnnxModelBuilder Input(string name, int elementType, params object[] dims)
    {
        _inputs.Add(ValueInfo(name, elementType, dims));
        return this;
    }

    public OnnxModelBuilder Output(string name, int elementType, params object[] dims)
    {
        _outputs.Add(ValueInfo(name, elementType, dims));
        return this;
    }

    public OnnxModelBuilder Initializer(string name, float[] values, params long[] dims)
    {
        var raw = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        _initializers.Add(Tensor(name, Float, dims, raw));
        return this;
    }

    public OnnxModelBuilder Initializer(string name, long[] values, params long[] dims)
    {
        var raw = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * 8), values[i]);
        _initializers.Add(Tensor(name, Int64, dims, raw));
        return this;
    }

    /// <summary>Adds a node; attribute values are long (INT), long[] (INTS), float (FLOAT) or string (STRING).</summary>
    public OnnxModelBuilder Node(string opType, string[] inputs, string[] outputs, params (string Name, object Value)[] attributes)
    {
        var w = new ProtoWriter();
        foreach (var input in inputs) w.String(1, input);
        foreach (var output in outputs) w.String(2, output);
        w.String(3, $"{opType}_{_nodeCount++}");
        w.String(4, opType);
        foreach (var (name, value) in attributes) w.Message(5, Attribute(name, value));
        _nodes.Add(w.ToArray());
        return this;
    }

    /// <summary>The serialized ModelProto.</summary>
    public byte[] Build(long opset = 13, long irVersion = 8)
    {
        var graph = new ProtoWriter();
        foreach (var node in _nodes) graph.Message(1, node);
        graph.String(2, graphName);
        foreach (var initializer in _initializers) graph.Message(5, initializer);
        foreach (var input in _inputs) graph.Message(11, input);
        foreach (var output in _outputs) graph.Message(12, output);

        var opsetId = new ProtoWriter();
        opsetId.String(1, string.Empty);
        opsetId.Varint(2, opset);

        var model = new ProtoWriter();
        model.Varint(1, irVersion);
        model.String(2, "RealtimeHead.Tests");
        model.Message(7, graph.ToArray());
        model.Message(8, opsetId.ToArray());
        return model.ToArray();
    }

    private static byte[] Attribute(string name, object value)
    {
        var w = new ProtoWriter();
        w.String(1, name);
        switch (value)
        {
            case float f:
                w.Fixed32(2, BitConverter.SingleToInt32Bits(f));
                w.Varint(20, 1);
                break;
            case long or int:
                w.Varint(3, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                w.Varint(20, 2);
                break;
            case string s:
                w.String(4, s);
                w.Varint(20, 3);
                break;
            case long[] ints:
                foreach (var i in ints) w.Varint(8, i);
                w.Varint(20, 7);
                break;
            default:
                throw new ArgumentException($"Unsupported attribute value {value.GetType().Name}.", nameof(value));
        }
        return w.ToArray();
    }

    private static byte[] Tensor(string name, int dataType, long[] dims, byte[] raw)
    {
        var w = new ProtoWriter();
        foreach (var d in dims) w.Varint(1, d);
        w.Varint(2, dataType);
        w.String(8, name);
        w.Bytes(9, raw);
        return w.ToArray();
    }

    private static byte[] ValueInfo(string name, int elementType, object[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
        {
            var dim = new ProtoWriter();
            if (d is string param) dim.String(2, param);
            else dim.Varint(1, Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture));
            shape.Message(1, dim.ToArray());
        }
        var tensorType = new ProtoWriter();
        tensorType.Varint(1, elementType);
        tensorType.Message(2, shape.ToArray());
        var type = new ProtoWriter();
        type.Message(1, tensorType.ToArray());
        var info = new ProtoWriter();
        info.String(1, name);
        info.Message(2, type.ToArray());
        return info.ToArray();
    }

    /// <summary>Protocol buffers wire format: varint (0), length-delimited (2) and fixed32 (5) fields.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _stream = new();

        public void Varint(int field, long value)
        {
            Tag(field, 0);
            Raw((ulong)value);
        }

        public void Fixed32(int field, int value)
        {
            Tag(field, 5);
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            _stream.Write(bytes);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, byte[] message) => Bytes(field, message);

        public void Bytes(int field, byte[] value)
        {
            Tag(field, 2);
            Raw((ulong)value.Length);
            _stream.Write(value);
        }

        public byte[] ToArray() => _stream.ToArray();

        private void Tag(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        private void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _stream.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _stream.WriteByte((byte)value);
        }
    }
}
