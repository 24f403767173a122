using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Tests.Serialization;

/// <summary>Checks files written by <see cref="SafeTensors.Save"/> against the format, reading the raw bytes independently.</summary>
public sealed class SafeTensorsHeaderTests : IDisposable
{
    private static readonly HashSet<string> s_dtypes = ["BOOL", "U8", "I8", "I16", "I32", "I64", "F16", "BF16", "F32", "F64"];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private byte[] SaveMixed(IReadOnlyDictionary<string, string>? metadata)
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("mixed.safetensors");
        // Odd-sized tensors first in name order, so misaligned offsets would show if the writer padded nothing.
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["a.mask"] = tensor(new[] { true, false, true }),
            ["b.bytes"] = tensor(new byte[] { 1, 2, 3, 4, 5 }),
            ["c.half"] = zeros([3], ScalarType.Float16),
            ["d.weight"] = randn([4, 3]),
            ["e.index"] = tensor(new[] { 7L, 8L }),
            ["f.scalar"] = tensor(1.0),
            ["g.empty"] = zeros([0, 5], ScalarType.Int32),
            ["h.bf"] = zeros([2, 2], ScalarType.BFloat16),
        }, metadata);
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void Save_Header_FollowsTheFormat()
    {
        var file = SaveMixed(new Dictionary<string, string> { ["format"] = "pt", ["producer"] = "RealtimeHead" });

        // Format: u64 little-endian N, N bytes of UTF-8 JSON, then the byte buffer.
        Assert.True(file.Length >= 8);
        var headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.InRange(headerLength, 2, file.Length - 8);
        var dataStart = 8 + headerLength;
        Assert.Equal(0, dataStart % 8);
        var headerText = Encoding.UTF8.GetString(file, 8, (int)headerLength);
        Assert.StartsWith("{", headerText);
        Assert.Equal(headerText.TrimEnd(' ').Length, headerText.TrimEnd().Length); // padding is spaces only

        using var document = JsonDocument.Parse(headerText);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        var dataLength = file.Length - dataStart;
        var spans = new List<(long begin, long end)>();
        var names = new List<string>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                Assert.Equal(JsonValueKind.Object, property.Value.ValueKind);
                var metadata = property.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
                Assert.All(property.Value.EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
                Assert.Equal("pt", metadata["format"]);
                Assert.Equal("RealtimeHead", metadata["producer"]);
                continue;
            }
            names.Add(property.Name);
            var entry = property.Value;
            Assert.Equal(3, entry.EnumerateObject().Count());
            var dtype = entry.GetProperty("dtype").GetString()!;
            Assert.Contains(dtype, s_dtypes);
            var shape = entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            Assert.Equal(2, offsets.Length);
            var elementSize = dtype switch { "BOOL" or "U8" or "I8" => 1, "I16" or "F16" or "BF16" => 2, "I32" or "F32" => 4, _ => 8 };
            Assert.Equal(shape.Aggregate(1L, (a, b) => a * b) * elementSize, offsets[1] - offsets[0]);
            spans.Add((offsets[0], offsets[1]));
        }

        Assert.Equal(["a.mask", "b.bytes", "c.half", "d.weight", "e.index", "f.scalar", "g.empty", "h.bf"], names.Order());
        // Offsets tile [0, dataLength) exactly: sorted, each begins where the previous ended.
        long expected = 0;
        foreach (var (begin, end) in spans.OrderBy(s => s.begin).ThenBy(s => s.end))
        {
            Assert.Equal(expected, begin);
            expected = end;
        }
        Assert.Equal(dataLength, expected);
    }

    [Fact]
    public void Save_ScalarAndEmptyEntries_HaveExpectedShapesAndSpans()
    {
        var file = SaveMixed(metadata: null);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using var document = JsonDocument.Parse(file.AsMemory(8, headerLength));

        var scalar = document.RootElement.GetProperty("f.scalar");
        Assert.Equal("F64", scalar.GetProperty("dtype").GetString());
        Assert.Equal(0, scalar.GetProperty("shape").GetArrayLength());
        var scalarOffsets = scalar.GetProperty("data_offsets");
        Assert.Equal(8, scalarOffsets[1].GetInt64() - scalarOffsets[0].GetInt64());

        var empty = document.RootElement.GetProperty("g.empty");
        Assert.Equal("I32", empty.GetProperty("dtype").GetString());
        Assert.Equal([0L, 5L], empty.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        var emptyOffsets = empty.GetProperty("data_offsets");
        Assert.Equal(emptyOffsets[0].GetInt64(), emptyOffsets[1].GetInt64());
    }

    [Fact]
    public void Save_WithoutMetadata_WritesNoMetadataKey()
    {
        var file = SaveMixed(metadata: null);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using var document = JsonDocument.Parse(file.AsMemory(8, headerLength));

        Assert.False(document.RootElement.TryGetProperty("__metadata__", out _));
    }

    [Fact]
    public void Save_DataSection_HoldsLittleEndianRowMajorBytes()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("bytes.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor>
        {
            ["i"] = tensor(new[] { 1, 0x01020304, -1, 5 }, [2, 2]),
            ["f"] = tensor(new[] { 1f, -2f }),
        });
        var file = File.ReadAllBytes(path);
        var dataStart = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = SafeTensors.ReadHeader(path);
        var i = header.Entries.Single(e => e.Name == "i");
        var f = header.Entries.Single(e => e.Name == "f");

        Assert.Equal(
            new byte[] { 1, 0, 0, 0, 4, 3, 2, 1, 255, 255, 255, 255, 5, 0, 0, 0 },
            file.AsSpan(dataStart + (int)i.Begin, (int)(i.End - i.Begin)).ToArray());
        Assert.Equal(
            new byte[] { 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0 },
            file.AsSpan(dataStart + (int)f.Begin, (int)(f.End - f.Begin)).ToArray());
    }
}
