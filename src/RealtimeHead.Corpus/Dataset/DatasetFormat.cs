namespace RealtimeHead.Corpus.Dataset;

/// <summary>Constants of the talking-head dataset format (docs/dataset-format.md).</summary>
public static class DatasetFormat
{
    /// <summary>Value of <see cref="CorpusManifest.Format"/>.</summary>
    public const string Name = "realtimehead-talking-head";

    public const int Version = 1;

    public const int Fps = 25;

    public const int SampleRate = 16000;

    /// <summary>Audio samples per video frame (16000 / 25).</summary>
    public const int SamplesPerFrame = SampleRate / Fps;

    public const int LandmarkCount = 68;

    public const string ManifestFile = "corpus.json";

    public const string TrackFile = "track.json";

    public const string AudioFile = "audio.wav";

    public const string FramesFolder = "frames";

    public const string MasksFolder = "masks";

    /// <summary>File name of frame <paramref name="index"/> (also used for its mask).</summary>
    public static string FrameFileName(int index) => $"{index:D6}.png";
}
