using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Tests.Serialization;

public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    public static TheoryData<ScalarType> DTypes() =>
    [
        ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16,
        ScalarType.Int64, ScalarType.Int32, ScalarType.Byte, ScalarType.Bool,
    ];

    /// <summary>
    /// A tensor of <paramref name="type"/> filled with seeded random bytes, so float tensors carry NaN payloads,
    /// infinities, subnormals and negative zero: anything but a byte copy would change them.
    /// </summary>
    private static Tensor RandomBits(ScalarType type, long[] shape, int seed)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        var bytes = new byte[count * ElementSize(type)];
        new Random(seed).NextBytes(bytes);
        if (type == ScalarType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++) bytes[i] &= 1;
        }
        var result = empty(shape, type);
        result.CopyFrom(bytes);
        return result;
    }

    [Theory]
    [MemberData(nameof(DTypes))]
    public void SaveLoad_EveryDTypeAndShape_IsBitExact(ScalarType type)
    {
        using var scope = NewDisposeScope();
        long[][] shapes = [[2, 3], [], [0], [4, 0, 2], [3, 1, 5, 2]];
        var tensors = new Dictionary<string, Tensor>();
        for (var i = 0; i < shapes.Length; i++) tensors[$"t{i}"] = RandomBits(type, shapes[i], seed: 17 * i + (int)type);
        var path = _directory.File("all.safetensors");

        SafeTensors.Save(path, tensors);
        var loaded = SafeTensors.Load(path);

        try
        {
            Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
            foreach (var (name, original) in tensors)
            {
                var copy = loaded[name];
                Assert.Equal(type, copy.dtype);
                Assert.Equal(original.shape, copy.shape);
                Assert.Equal(SafeTensorsBytes.RawBytes(original), SafeTensorsBytes.RawBytes(copy));
            }
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    [Fact]
    public void SaveLoad_TypedValues_ComeBackEqual()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("typed.safetensors");
        var floats = new[] { 1.5f, -0f, float.PositiveInfinity, float.Epsilon, -3.25e-20f, 7f };
        var doubles = new[] { Math.PI, -1e300, double.NegativeInfinity };
        var halves = new[] { (Half)0.5, Half.MaxValue, Half.Epsilon, (Half)(-2) };
        var longs = new[] { long.MinValue, -1, 0, long.MaxValue };
        var ints = new[] { int.MinValue, 42, int.MaxValue };
        var bytes = new byte[] { 0, 1, 127, 128, 255 };
        var bools = new[] { true, false, false, true };

        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["f32"] = tensor(floats, [2, 3]),
            ["f64"] = tensor(doubles),
            ["f16"] = tensor(halves, [2, 2]),
            ["bf16"] = tensor(new[] { 1f, -2f, 0.5f, 384f, -0.0078125f }).bfloat16(),
            ["i64"] = tensor(longs),
            ["i32"] = tensor(ints),
            ["u8"] = tensor(bytes),
            ["bool"] = tensor(bools, [2, 2]),
            ["scalar"] = tensor(2.5f),
            ["empty"] = zeros([0, 3]),
        });
        var loaded = SafeTensors.Load(path);

        try
        {
            Assert.Equal(floats, loaded["f32"].data<float>());
            Assert.Equal(new long[] { 2, 3 }, loaded["f32"].shape);
            Assert.Equal(doubles, loaded["f64"].data<double>());
            Assert.Equal(halves, loaded["f16"].data<Half>());
            // bf16 keeps 8 significant bits: these values are exact in it.
            Assert.Equal(new[] { 1f, -2f, 0.5f, 384f, -0.0078125f }, loaded["bf16"].@float().data<float>());
            Assert.Equal(longs, loaded["i64"].data<long>());
            Assert.Equal(ints, loaded["i32"].data<int>());
            Assert.Equal(bytes, loaded["u8"].data<byte>());
            Assert.Equal(bools, loaded["bool"].data<bool>());
            Assert.Empty(loaded["scalar"].shape);
            Assert.Equal(2.5f, loaded["scalar"].item<float>());
            Assert.Equal(new long[] { 0, 3 }, loaded["empty"].shape);
            Assert.Equal(ScalarType.Float32, loaded["empty"].dtype);
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    [Fact]
    public void Save_NonContiguousTensor_WritesRowMajorValues()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("transposed.safetensors");
        var transposed = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f }, [2, 3]).t();
        Assert.False(transposed.is_contiguous());

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["t"] = transposed });
        var loaded = SafeTensors.Load(path);

        using var t = loaded["t"];
        Assert.Equal(new long[] { 3, 2 }, t.shape);
        Assert.Equal(new[] { 1f, 4f, 2f, 5f, 3f, 6f }, t.data<float>());
    }

    [Fact]
    public void Save_TensorThatRequiresGrad_LoadsAsPlainLeaf()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("grad.safetensors");
        var weight = tensor(new[] { 0.25f, -0.5f }, requires_grad: true);

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = weight * 2 });
        var loaded = SafeTensors.Load(path);

        using var w = loaded["w"];
        Assert.False(w.requires_grad);
        Assert.Equal(new[] { 0.5f, -1f }, w.data<float>());
    }

    [Fact]
    public void Load_InsideDisposeScope_TensorsOutliveTheScope()
    {
        var path = _directory.File("scope.safetensors");
        using (var t = tensor(new[] { 1L, 2L, 3L }).DetachFromDisposeScope())
        {
            SafeTensors.Save(path, new Dictionary<string, Tensor> { ["x"] = t });
        }

        Dictionary<string, Tensor> loaded;
        using (var scope = NewDisposeScope())
        {
            loaded = SafeTensors.Load(path);
            Assert.Equal(0, scope.DisposablesCount);
        }

        using var x = loaded["x"];
        Assert.False(x.IsInvalid);
        Assert.Equal(new[] { 1L, 2L, 3L }, x.data<long>());
    }

    [Fact]
    public void Save_Metadata_RoundTripsThroughReadHeader()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("meta.safetensors");
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["step"] = "1200", ["note"] = "ünïcode \"quoted\"" };

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["a"] = ones(2) }, metadata);
        var header = SafeTensors.ReadHeader(path);

        Assert.Equal(metadata.OrderBy(p => p.Key), header.Metadata.OrderBy(p => p.Key));
        var entry = Assert.Single(header.Entries);
        Assert.Equal(("a", ScalarType.Float32, 0L, 8L), (entry.Name, entry.DType, entry.Begin, entry.End));
    }

    [Fact]
    public void Save_OverExistingFile_ReplacesItAndLeavesNoTemporaries()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("replace.safetensors");

        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["old"] = zeros(1000) });
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["new"] = ones(3) });

        Assert.Equal(["replace.safetensors"], Directory.GetFiles(_directory.Path).Select(Path.GetFileName));
        var loaded = SafeTensors.Load(path);
        using var fresh = Assert.Single(loaded).Value;
        Assert.Equal(new[] { 1f, 1f, 1f }, fresh.data<float>());
    }

    [Fact]
    public void Save_NameMetadataKey_ThrowsArgumentException()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("reserved.safetensors");

        var error = Assert.Throws<ArgumentException>(() => SafeTensors.Save(path, new Dictionary<string, Tensor> { ["__metadata__"] = ones(1) }));

        Assert.Contains("__metadata__", error.Message);
        Assert.False(File.Exists(path));
    }
}
