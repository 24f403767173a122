namespace RealtimeHead.Corpus.Dataset;

/// <summary>The root <c>corpus.json</c>: format tag, shared media parameters and the clip list.</summary>
public sealed record CorpusManifest
{
    public required string Format { get; init; }

    public required int Version { get; init; }

    public required int Fps { get; init; }

    public required int SampleRate { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>Free-form provenance ("synthetic", "hdtf", …): informational only, nothing may depend on it.</summary>
    public string? Source { get; init; }

    public required IReadOnlyList<ClipEntry> Clips { get; init; }
}

/// <summary>One clip: its id, the identity (person) it shows, its folder relative to the corpus root, and its length.</summary>
public sealed record ClipEntry(string Id, string Identity, string Path, int FrameCount);
