using System.Text.Json.Serialization;

namespace RealtimeHead.Corpus.Dataset;

/// <summary>Source-generated JSON for the dataset files: camelCase names, indented, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(CorpusManifest))]
[JsonSerializable(typeof(ClipTrack))]
internal sealed partial class DatasetJsonContext : JsonSerializerContext;
