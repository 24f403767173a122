using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Serialization;

/// <summary>
/// Reads and writes the safetensors format (huggingface/safetensors, "Format" in its README):
/// an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with spaces), then the raw
/// little-endian row-major tensor bytes. The JSON maps each name to {"dtype", "shape", "data_offsets": [begin, end]}
/// (offsets into the byte buffer) plus an optional "__metadata__" object of string values. Files written here
/// load in Python's <c>safetensors.torch.load_file</c>, and files it writes load here.
/// </summary>
public static class SafeTensors
{
    /// <summary>The reference implementation refuses headers above 100 MB; so do we.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private const string MetadataKey = "__metadata__";

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (a temporary file renamed into place),
    /// so a crash mid-write never leaves a truncated checkpoint where a good one was.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (names.Contains(MetadataKey)) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor");

        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header[MetadataKey] = metadata;
        long offset = 0;
        var sizes = new long[names.Count];
        for (var i = 0; i < names.Count; i++)
        {
            var t = tensors[names[i]];
            sizes[i] = t.numel() * ElementSize(t.dtype);
            header[names[i]] = new Dictionary<string, object>
            {
                ["dtype"] = DtypeName(t.dtype),
                ["shape"] = t.shape,
                ["data_offsets"] = new[] { offset, offset + sizes[i] },
            };
            offset += sizes[i];
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        var padded = (json.Length + 7) / 8 * 8;
        var headerBytes = new byte[padded];
        json.CopyTo(headerBytes, 0);
        headerBytes.AsSpan(json.Length).Fill((byte)' ');

        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Span<byte> length = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
                stream.Write(length);
                stream.Write(headerBytes);
                var buffer = Array.Empty<byte>();
                for (var i = 0; i < names.Count; i++)
                {
                    if (buffer.Length < sizes[i]) buffer = new byte[sizes[i]];
                    var span = buffer.AsSpan(0, (int)sizes[i]);
                    tensors[names[i]].CopyTo(span);
                    stream.Write(span);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>One entry of a safetensors header.</summary>
    public sealed record Entry(string Name, ScalarType DType, long[] Shape, long Begin, long End);

    /// <summary>The parsed and validated header of a file: entries in file order, and the metadata.</summary>
    public sealed record Header(IReadOnlyList<Entry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart);

    /// <summary>Reads and validates the header only (cheap: the tensor bytes are not read).</summary>
    public static Header ReadHeader(string path)
    {
        using var stream = OpenForRead(path);
        return ReadHeader(stream, path);
    }

    /// <summary>Loads every tensor of the file (to <paramref name="device"/>, CPU by default), validating the whole layout first.</summary>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null)
    {
        using var stream = OpenForRead(path);
        var header = ReadHeader(stream, path);
        var result = new Dictionary<string, Tensor>();
        try
        {
            var buffer = Array.Empty<byte>();
            foreach (var entry in header.Entries)
            {
                var size = entry.End - entry.Begin;
                if (buffer.Length < size) buffer = new byte[size];
                stream.Position = header.DataStart + entry.Begin;
                stream.ReadExactly(buffer, 0, (int)size);
                var t = empty(entry.Shape, entry.DType).DetachFromDisposeScope();
                t.CopyFrom(buffer.AsSpan(0, (int)size));
                if (device is not null && device.type != DeviceType.CPU)
                {
                    var moved = t.to(device).DetachFromDisposeScope();
                    t.Dispose();
                    t = moved;
                }
                result[entry.Name] = t;
            }
            return result;
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
    }

    private static FileStream OpenForRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file not found: {path}", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    private static Header ReadHeader(FileStream stream, string path)
    {
        if (stream.Length < 8) throw Bad(path, $"file is {stream.Length} bytes, shorter than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes) throw Bad(path, $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");
        if ((long)headerLength > stream.Length - 8) throw Bad(path, $"header length {headerLength} runs past the end of the file ({stream.Length} bytes): truncated?");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        if (headerBytes.Length == 0 || headerBytes[0] != (byte)'{') throw Bad(path, "header does not start with '{'");
        // JsonDocument checks structure but decodes names lazily: bad UTF-8 would surface later as InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(headerBytes)) throw Bad(path, "header is not valid UTF-8");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(headerBytes);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"header is not valid JSON: {e.Message}");
        }

        var dataStart = 8 + (long)headerLength;
        var dataLength = stream.Length - dataStart;
        var entries = new List<Entry>();
        var metadata = new Dictionary<string, string>();
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header is not a JSON object");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name)) throw Bad(path, $"duplicate entry '{property.Name}'");
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, path);
                    continue;
                }
                entries.Add(ReadEntry(property, path, dataLength));
            }
        }

        // The reference format requires the entries to tile the buffer exactly: no gaps, no overlaps.
        long expected = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != expected) throw Bad(path, $"entry '{entry.Name}' starts at byte {entry.Begin}, expected {expected} (gap or overlap in the data)");
            expected = entry.End;
        }
        if (expected != dataLength) throw Bad(path, $"entries cover {expected} bytes but the data section has {dataLength}: truncated or trailing bytes");
        return new Header(entries, metadata, dataStart);
    }

    private static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string path)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"'{MetadataKey}' must be an object of strings");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String) throw Bad(path, $"metadata '{item.Name}' is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static Entry ReadEntry(JsonProperty property, string path, long dataLength)
    {
        var name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"entry '{name}' is not an object");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw Bad(path, $"entry '{name}' has no dtype string");
        }
        var dtype = ParseDtype(dtypeElement.GetString()!) ?? throw Bad(path, $"entry '{name}' has unsupported dtype '{dtypeElement.GetString()}'");
        if (!value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw Bad(path, $"entry '{name}' has no shape array");
        }
        var shape = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var d) || d < 0) throw Bad(path, $"entry '{name}' has a bad shape {shapeElement}");
            shape.Add(d);
        }
        // TryGetInt64 throws on a non-number, so the kinds are checked first.
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2 ||
            offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number ||
            !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end))
        {
            throw Bad(path, $"entry '{name}' has no valid data_offsets [begin, end]");
        }
        if (begin < 0 || end < begin || end > dataLength) throw Bad(path, $"entry '{name}' has data_offsets [{begin}, {end}] outside the {dataLength}-byte data section");
        long bytes;
        try
        {
            bytes = ElementSize(dtype);
            foreach (var d in shape) bytes = checked(bytes * d);
        }
        catch (OverflowException)
        {
            throw Bad(path, $"entry '{name}' has a shape [{string.Join(", ", shape)}] too large to address");
        }
        if (bytes != end - begin) throw Bad(path, $"entry '{name}' of dtype {DtypeName(dtype)} and shape [{string.Join(", ", shape)}] needs {bytes} bytes but data_offsets span {end - begin}");
        return new Entry(name, dtype, shape.ToArray(), begin, end);
    }

    private static SafeTensorsFormatException Bad(string path, string problem) => new SafeTensorsFormatException($"{path}: not a valid safetensors file: {problem}");

    /// <summary>safetensors dtype names (the format's "dtype" strings).</summary>
    public static string DtypeName(ScalarType type) => type switch
    {
        ScalarType.Bool => "BOOL",
        ScalarType.Byte => "U8",
        ScalarType.Int8 => "I8",
        ScalarType.Int16 => "I16",
        ScalarType.Int32 => "I32",
        ScalarType.Int64 => "I64",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Float32 => "F32",
        ScalarType.Float64 => "F64",
        _ => throw new NotSupportedException($"safetensors has no dtype for {type}"),
    };

    private static ScalarType? ParseDtype(string name) => name switch
    {
        "BOOL" => ScalarType.Bool,
        "U8" => ScalarType.Byte,
        "I8" => ScalarType.Int8,
        "I16" => ScalarType.Int16,
        "I32" => ScalarType.Int32,
        "I64" => ScalarType.Int64,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "F32" => ScalarType.Float32,
        "F64" => ScalarType.Float64,
        _ => null,
    };
}

/// <summary>A safetensors file that does not follow the format; the message names the file and the problem.</summary>
public sealed class SafeTensorsFormatException(string message) : FormatException(message);

/// <summary>Module checkpoints as safetensors, with state-dict names (TorchSharp's module.save / module.load call shape).</summary>
public static class ModuleSafeTensorsExtensions
{
    public static void save(this nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Save(path, module.state_dict(), metadata);

    /// <summary>
    /// Loads a checkpoint into the module. With <paramref name="strict"/>, any missing, unexpected or wrongly shaped entry
    /// throws <see cref="StateDictMismatchException"/> naming each; otherwise the report is returned and matching entries load.
    /// </summary>
    public static StateDictLoadResult load(this nn.Module module, string path, bool strict = true)
    {
        var tensors = SafeTensors.Load(path);
        try
        {
            return module.load_state_dict(tensors, strict);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
