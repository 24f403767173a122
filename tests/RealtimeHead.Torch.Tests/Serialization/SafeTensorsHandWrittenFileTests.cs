using System.Buffers.Binary;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Tests.Serialization;

/// <summary>Files laid out byte by byte as Python's safetensors writes them, loaded through the binding.</summary>
public sealed class SafeTensorsHandWrittenFileTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Load_FileAsPythonWritesIt_HasExpectedValues()
    {
        // safetensors.torch.save_file({"bias": f64[2], "weight": f32[2,2], "steps": i64[1], "mask": bool[3]},
        //                             metadata={"format": "pt"}) orders entries by dtype alignment (largest first), then name,
        // writes compact JSON with "__metadata__" first, and pads the header with spaces to a multiple of 8.
        var data = new byte[16 + 8 + 16 + 3];
        var span = data.AsSpan();
        BinaryPrimitives.WriteDoubleLittleEndian(span[0..], 0.5);
        BinaryPrimitives.WriteDoubleLittleEndian(span[8..], -1.25);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], 123456789012L);
        BinaryPrimitives.WriteSingleLittleEndian(span[24..], 1f);
        BinaryPrimitives.WriteSingleLittleEndian(span[28..], 2f);
        BinaryPrimitives.WriteSingleLittleEndian(span[32..], 3f);
        BinaryPrimitives.WriteSingleLittleEndian(span[36..], 4f);
        data[40] = 1;
        data[41] = 0;
        data[42] = 1;
        const string json =
            "{\"__metadata__\":{\"format\":\"pt\"}," +
            "\"bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}," +
            "\"steps\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[16,24]}," +
            "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[24,40]}," +
            "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[40,43]}}";
        var file = SafeTensorsBytes.Build(json, data);
        Assert.Equal(0, (file.Length - data.Length) % 8);
        var path = _directory.File("python.safetensors");
        File.WriteAllBytes(path, file);

        var header = SafeTensors.ReadHeader(path);
        var loaded = SafeTensors.Load(path);

        try
        {
            Assert.Equal("pt", header.Metadata["format"]);
            Assert.Equal(["bias", "steps", "weight", "mask"], header.Entries.Select(e => e.Name));
            Assert.Equal(ScalarType.Float64, loaded["bias"].dtype);
            Assert.Equal(new[] { 0.5, -1.25 }, loaded["bias"].data<double>());
            Assert.Equal(new[] { 123456789012L }, loaded["steps"].data<long>());
            Assert.Equal(new long[] { 2, 2 }, loaded["weight"].shape);
            Assert.Equal(new[] { 1f, 2f, 3f, 4f }, loaded["weight"].data<float>());
            Assert.Equal(2f, loaded["weight"][0, 1].item<float>());
            Assert.Equal(new[] { true, false, true }, loaded["mask"].data<bool>());
        }
        finally
        {
            foreach (var t in loaded.Values) t.Dispose();
        }
    }

    [Fact]
    public void Load_HalfAndBFloat16Bits_DecodeToExpectedValues()
    {
        // F16 0x3C00 = 1, 0xC000 = -2; BF16 0x3F80 = 1, 0x4049 = 3.140625.
        var data = new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F, 0x49, 0x40 };
        const string json =
            "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        var path = _directory.File("half.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build(json, data));

        var loaded = SafeTensors.Load(path);

        using var scope = NewDisposeScope();
        using var h = loaded["h"];
        using var b = loaded["b"];
        Assert.Equal(new[] { (Half)1, (Half)(-2) }, h.data<Half>());
        Assert.Equal(ScalarType.BFloat16, b.dtype);
        Assert.Equal(new[] { 1f, 3.140625f }, b.@float().data<float>());
    }

    [Fact]
    public void Load_UnpaddedHeaderAndScalarAndEmptyEntries_Load()
    {
        // The format does not require padding; a 0-dim entry holds one element, a 0-sized one none (both spans at 4).
        var data = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(data, -7);
        const string json =
            "{\"s\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4]},\"e\":{\"dtype\":\"F32\",\"shape\":[3,0],\"data_offsets\":[4,4]}}";
        var path = _directory.File("unpadded.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build(json, data, pad: false));

        var loaded = SafeTensors.Load(path);

        using var s = loaded["s"];
        using var e = loaded["e"];
        Assert.Empty(s.shape);
        Assert.Equal(-7, s.item<int>());
        Assert.Equal(new long[] { 3, 0 }, e.shape);
        Assert.Equal(0, e.numel());
    }

    [Fact]
    public void Load_EmptyHeaderObject_LoadsNothing()
    {
        var path = _directory.File("nothing.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build("{}", []));

        Assert.Empty(SafeTensors.Load(path));
    }
}
