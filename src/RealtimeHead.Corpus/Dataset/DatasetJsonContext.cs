using System.Text.Json.Serialization;

namespace RealtimeHead.Corpus.Dataset;

/// <summary>Source-generated JSON for the dataset files: camelCase names, nulls omitted; the manifest indented.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(CorpusManifest))]
[JsonSerializable(typeof(ClipTrack))]
internal sealed partial class DatasetJsonContext : JsonSerializerContext
{
    /// <summary>Unindented variant for track.json, which holds hundreds of numbers per frame.</summary>
    public static DatasetJsonContext Compact { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    });
}
