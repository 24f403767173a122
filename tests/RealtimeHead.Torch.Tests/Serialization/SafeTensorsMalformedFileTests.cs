using System.Buffers.Binary;
using System.Text;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Tests.Serialization;

/// <summary>Every way a file can break must surface as <see cref="SafeTensorsFormatException"/> naming the problem.</summary>
public sealed class SafeTensorsMalformedFileTests : IDisposable
{
    private const string TwoFloats = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Write(byte[] file)
    {
        var path = _directory.File(Guid.NewGuid().ToString("N") + ".safetensors");
        File.WriteAllBytes(path, file);
        return path;
    }

    /// <summary>Load and ReadHeader both refuse the file with the same problem in the message.</summary>
    private SafeTensorsFormatException AssertRejected(byte[] file, string expectedProblem)
    {
        var path = Write(file);
        var fromHeader = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.ReadHeader(path));
        var fromLoad = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Load(path));
        Assert.Contains(expectedProblem, fromHeader.Message);
        Assert.Equal(fromHeader.Message, fromLoad.Message);
        Assert.Contains(path, fromLoad.Message);
        return fromLoad;
    }

    [Fact]
    public void Load_ValidBaseline_Loads()
    {
        var loaded = SafeTensors.Load(Write(SafeTensorsBytes.Build(TwoFloats, new byte[8])));

        using var x = Assert.Single(loaded).Value;
        Assert.Equal(new[] { 0f, 0f }, x.data<float>());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void Load_FileShorterThanLengthPrefix_NamesTruncation(int length) =>
        AssertRejected(new byte[length], $"file is {length} bytes, shorter than the 8-byte header length");

    [Fact]
    public void Load_HeaderLengthPastEndOfFile_NamesTheLength()
    {
        var file = SafeTensorsBytes.Build(TwoFloats, new byte[8]);
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)file.Length);

        AssertRejected(file, $"header length {file.Length} runs past the end of the file");
    }

    [Fact]
    public void Load_FileCutInsideHeader_NamesTruncation()
    {
        var file = SafeTensorsBytes.Build(TwoFloats, new byte[8]);

        AssertRejected(file[..20], "runs past the end of the file (20 bytes)");
    }

    [Fact]
    public void Load_HugeHeaderLength_RefusedBeforeReading()
    {
        var file = SafeTensorsBytes.Build(TwoFloats, new byte[8]);
        BinaryPrimitives.WriteUInt64LittleEndian(file, ulong.MaxValue);

        AssertRejected(file, "exceeds the 100000000-byte limit");
    }

    [Theory]
    [InlineData("{\"x\":{\"dtype\":\"F32\",", "header is not valid JSON")]
    [InlineData("{\"x\" 1}", "header is not valid JSON")]
    [InlineData("[1, 2, 3]", "header does not start with '{'")]
    [InlineData("not json", "header does not start with '{'")]
    [InlineData("", "header does not start with '{'")]
    public void Load_HeaderNotAJsonObject_NamesJson(string header, string expected) =>
        AssertRejected(SafeTensorsBytes.Build(header, []), expected);

    [Fact]
    public void Load_HeaderInvalidUtf8_NamesUtf8()
    {
        var file = SafeTensorsBytes.Build("{\"x\":1}", []);
        file[10] = 0xFF;

        AssertRejected(file, "header is not valid UTF-8");
    }

    [Fact]
    public void Load_TopLevelNotObjectAfterBrace_NamesJson() =>
        AssertRejected(SafeTensorsBytes.Build("{} trailing", []), "header is not valid JSON");

    [Theory]
    [InlineData("F8_E4M3")]
    [InlineData("C64")]
    [InlineData("f32")]
    [InlineData("U16")]
    public void Load_UnknownDType_NamesEntryAndDType(string dtype) =>
        AssertRejected(
            SafeTensorsBytes.Build($"{{\"x\":{{\"dtype\":\"{dtype}\",\"shape\":[2],\"data_offsets\":[0,8]}}}}", new byte[8]),
            $"entry 'x' has unsupported dtype '{dtype}'");

    [Fact]
    public void Load_ShapeDisagreesWithOffsets_NamesBothSizes() =>
        AssertRejected(
            SafeTensorsBytes.Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]),
            "entry 'w' of dtype F32 and shape [3] needs 12 bytes but data_offsets span 8");

    [Fact]
    public void Load_OverlappingOffsets_NamesOverlap() =>
        AssertRejected(
            SafeTensorsBytes.Build(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                new byte[12]),
            "entry 'b' starts at byte 4, expected 8 (gap or overlap in the data)");

    [Fact]
    public void Load_SameSpanTwice_NamesOverlap() =>
        AssertRejected(
            SafeTensorsBytes.Build(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                new byte[8]),
            "starts at byte 0, expected 8 (gap or overlap in the data)");

    [Fact]
    public void Load_GapBetweenOffsets_NamesGap() =>
        AssertRejected(
            SafeTensorsBytes.Build(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}",
                new byte[12]),
            "entry 'b' starts at byte 8, expected 4 (gap or overlap in the data)");

    [Fact]
    public void Load_FirstEntryNotAtZero_NamesGap() =>
        AssertRejected(
            SafeTensorsBytes.Build("{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}", new byte[4]),
            "entry 'a' starts at byte 2, expected 0");

    [Fact]
    public void Load_TrailingBytes_NamesTrailing() =>
        AssertRejected(SafeTensorsBytes.Build(TwoFloats, new byte[9]), "entries cover 8 bytes but the data section has 9: truncated or trailing bytes");

    [Fact]
    public void Load_DataSectionCut_NamesOutOfRangeOffsets() =>
        AssertRejected(SafeTensorsBytes.Build(TwoFloats, new byte[5]), "entry 'x' has data_offsets [0, 8] outside the 5-byte data section");

    [Theory]
    [InlineData("{\"x\":{\"shape\":[2],\"data_offsets\":[0,8]}}", "entry 'x' has no dtype string")]
    [InlineData("{\"x\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", "entry 'x' has no dtype string")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", "entry 'x' has no shape array")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", "entry 'x' has a bad shape")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", "entry 'x' has a bad shape")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", "entry 'x' has a bad shape")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", "entry 'x' has no valid data_offsets")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", "entry 'x' has no valid data_offsets")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[\"0\",\"8\"]}}", "entry 'x' has no valid data_offsets")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[null,8]}}", "entry 'x' has no valid data_offsets")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}", "entry 'x' has no valid data_offsets")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", "entry 'x' has data_offsets [8, 0] outside")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", "entry 'x' has data_offsets [-8, 0] outside")]
    [InlineData("{\"x\":[0,8]}", "entry 'x' is not an object")]
    [InlineData("{\"__metadata__\":[\"pt\"],\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "'__metadata__' must be an object of strings")]
    [InlineData("{\"__metadata__\":{\"step\":3},\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "metadata 'step' is not a string")]
    [InlineData("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", "duplicate entry 'x'")]
    public void Load_MalformedEntry_NamesTheField(string header, string expected) =>
        AssertRejected(SafeTensorsBytes.Build(header, new byte[8]), expected);

    [Fact]
    public void Load_ShapeProductOverflows_IsAFormatError() =>
        AssertRejected(
            SafeTensorsBytes.Build(
                "{\"x\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,8]}}", new byte[8]),
            "entry 'x' has a shape [4294967296, 4294967296, 16] too large");

    [Fact]
    public void Load_ByteCountOverflows_IsAFormatError() =>
        AssertRejected(
            SafeTensorsBytes.Build("{\"x\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,8]}}", new byte[8]),
            "entry 'x' has a shape [2305843009213693952] too large");

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        var path = _directory.File("absent.safetensors");

        var fromLoad = Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(path));
        var fromHeader = Assert.Throws<FileNotFoundException>(() => SafeTensors.ReadHeader(path));

        Assert.Equal(path, fromLoad.FileName);
        Assert.Contains(path, fromHeader.Message);
    }

    [Fact]
    public void Load_RandomBytes_OnlyFormatErrors()
    {
        var random = new Random(20240611);
        for (var i = 0; i < 200; i++)
        {
            var file = new byte[random.Next(0, 64)];
            random.NextBytes(file);
            if (file.Length >= 8 && i % 2 == 0) BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)random.Next(0, file.Length));
            var path = Write(file);

            var error = Record.Exception(() => SafeTensors.Load(path));

            Assert.True(error is null or SafeTensorsFormatException, $"case {i}: {error}");
            File.Delete(path);
        }
    }

    /// <summary>Flips bytes of a valid header: every outcome is a load or a format error, never another exception.</summary>
    [Fact]
    public void Load_MutatedValidHeader_OnlyFormatErrorsOrValidLoads()
    {
        const string header =
            "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}," +
            "\"b\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        var valid = SafeTensorsBytes.Build(header, new byte[16]);
        var alphabet = Encoding.ASCII.GetBytes("{}[]\":,-0123456789.eE \\xFIUB");
        var random = new Random(7);
        var rejected = 0;
        for (var i = 0; i < 400; i++)
        {
            var file = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                file[8 + random.Next(header.Length)] = random.Next(4) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }
            var path = Write(file);

            var error = Record.Exception(() =>
            {
                foreach (var t in SafeTensors.Load(path).Values) t.Dispose();
            });

            Assert.True(error is null or SafeTensorsFormatException, $"case {i} ({Encoding.UTF8.GetString(file, 8, header.Length)}): {error}");
            if (error is not null) rejected++;
            File.Delete(path);
        }
        Assert.InRange(rejected, 200, 400);
    }

    [Fact]
    public void Load_TensorBytesNeverValidated_LoadsAnyBitPattern()
    {
        // The data section is opaque: NaN and garbage bool bytes are the writer's business, not a format error.
        var data = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0x00 };
        var path = Write(SafeTensorsBytes.Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data));

        var loaded = SafeTensors.Load(path);

        using var scope = NewDisposeScope();
        using var x = loaded["x"];
        Assert.True(float.IsNaN(x.data<float>()[0]));
        Assert.Equal(data, SafeTensorsBytes.RawBytes(x));
    }
}
