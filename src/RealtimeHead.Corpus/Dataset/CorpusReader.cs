using System.Text.Json;
using RealtimeHead.Corpus.Speech;
using RealtimeHead.Imaging;

namespace RealtimeHead.Corpus.Dataset;

/// <summary>
/// Reads a corpus in the dataset format, whoever wrote it (the synthetic generator or a real-video
/// preparation). Validates the structure on open so training fails early with a message naming the file.
/// </summary>
public sealed class CorpusReader
{
    private CorpusReader(string root, CorpusManifest manifest)
    {
        Root = root;
        Manifest = manifest;
    }

    public string Root { get; }

    public CorpusManifest Manifest { get; }

    /// <summary>Opens the corpus at <paramref name="root"/> and checks its manifest.</summary>
    /// <exception cref="CorpusFormatException">The manifest is missing, malformed or of another format/version.</exception>
    public static CorpusReader Open(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        var path = Path.Combine(root, DatasetFormat.ManifestFile);
        var manifest = ReadJson(path, DatasetJsonContext.Default.CorpusManifest);
        if (manifest.Format != DatasetFormat.Name)
        {
            throw new CorpusFormatException(path, $"format is '{manifest.Format}', expected '{DatasetFormat.Name}'");
        }

        if (manifest.Version != DatasetFormat.Version)
        {
            throw new CorpusFormatException(path, $"version {manifest.Version} is not supported (expected {DatasetFormat.Version})");
        }

        if (manifest.Fps != DatasetFormat.Fps || manifest.SampleRate != DatasetFormat.SampleRate)
        {
            throw new CorpusFormatException(path, $"fps {manifest.Fps} / sample rate {manifest.SampleRate}: expected {DatasetFormat.Fps} / {DatasetFormat.SampleRate}");
        }

        if (manifest.Clips is null || manifest.Clips.Any(c => string.IsNullOrEmpty(c.Id) || string.IsNullOrEmpty(c.Path) || c.FrameCount < 1))
        {
            throw new CorpusFormatException(path, "every clip needs an id, a path and a positive frame count");
        }

        return new CorpusReader(root, manifest);
    }

    /// <summary>The folder of <paramref name="clip"/>.</summary>
    public string ClipFolder(ClipEntry clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        return Path.Combine(Root, clip.Path);
    }

    /// <summary>Reads and checks a clip's track.json (frame count, matrix and landmark shapes).</summary>
    public ClipTrack ReadTrack(ClipEntry clip)
    {
        var path = Path.Combine(ClipFolder(clip), DatasetFormat.TrackFile);
        var track = ReadJson(path, DatasetJsonContext.Default.ClipTrack);
        if (track.FrameCount != clip.FrameCount || track.Frames is null || track.Frames.Count != track.FrameCount)
        {
            throw new CorpusFormatException(path, $"expected {clip.FrameCount} frames, found {track.Frames?.Count ?? 0} (frameCount {track.FrameCount})");
        }

        for (var i = 0; i < track.Frames.Count; i++)
        {
            var frame = track.Frames[i];
            if (frame.Index != i || frame.CameraToWorld is not { Length: 16 } || frame.Landmarks is not { Length: DatasetFormat.LandmarkCount }
                || frame.Landmarks.Any(l => l is not { Length: 2 }))
            {
                throw new CorpusFormatException(path, $"frame {i}: index, 16-number cameraToWorld and 68 [x, y] landmarks are required");
            }
        }

        return track;
    }

    /// <summary>Loads frame <paramref name="index"/> of <paramref name="clip"/>.</summary>
    public RgbImage ReadFrame(ClipEntry clip, int index) =>
        RgbImage.Load(Path.Combine(ClipFolder(clip), DatasetFormat.FramesFolder, DatasetFormat.FrameFileName(index)));

    /// <summary>Loads the mask image of frame <paramref name="index"/> (R inner face, G lower face, B person).</summary>
    public RgbImage ReadMask(ClipEntry clip, int index) =>
        RgbImage.Load(Path.Combine(ClipFolder(clip), DatasetFormat.MasksFolder, DatasetFormat.FrameFileName(index)));

    /// <summary>Reads the clip's 16 kHz mono audio.</summary>
    public short[] ReadAudio(ClipEntry clip)
    {
        var path = Path.Combine(ClipFolder(clip), DatasetFormat.AudioFile);
        if (!WavFile.TryDecode(File.ReadAllBytes(path), out var samples, out var rate))
        {
            throw new CorpusFormatException(path, "not a 16-bit PCM mono WAV file");
        }

        if (rate != DatasetFormat.SampleRate)
        {
            throw new CorpusFormatException(path, $"sample rate {rate} Hz, expected {DatasetFormat.SampleRate}");
        }

        return samples;
    }

    private static T ReadJson<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (!File.Exists(path))
        {
            throw new CorpusFormatException(path, "file not found");
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), type) ?? throw new CorpusFormatException(path, "empty JSON document");
        }
        catch (JsonException e)
        {
            throw new CorpusFormatException(path, $"malformed JSON ({e.Message})", e);
        }
    }
}
