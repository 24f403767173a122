using RealtimeHead.Corpus.Dataset;

namespace RealtimeHead.Training.Data;

/// <summary>
/// A clip that passed the loader's checks, with everything but its images in memory: camera poses, lip boxes and the
/// log-mel features of its audio. Frames and masks are read from disk when a batch needs them.
/// </summary>
public sealed class DatasetClip
{
    internal DatasetClip(ClipEntry entry, string folder, float[] poses, float[] lipBoxes, AudioFeatures features)
    {
        Entry = entry;
        Folder = folder;
        Poses = poses;
        LipBoxes = lipBoxes;
        Features = features;
    }

    public ClipEntry Entry { get; }

    public string Id => Entry.Id;

    public string Identity => Entry.Identity;

    public int FrameCount => Entry.FrameCount;

    /// <summary>The clip's folder.</summary>
    public string Folder { get; }

    /// <summary>Camera-to-world matrices, 16 row-major numbers per frame.</summary>
    public float[] Poses { get; }

    /// <summary>Lip boxes (x0, y0, x1, y1) as fractions of the frame, 4 numbers per frame (<see cref="LipBox"/>).</summary>
    public float[] LipBoxes { get; }

    public AudioFeatures Features { get; }

    /// <summary>Path of frame <paramref name="index"/>.</summary>
    public string FramePath(int index) => Path.Combine(Folder, DatasetFormat.FramesFolder, DatasetFormat.FrameFileName(index));

    /// <summary>Path of the mask of frame <paramref name="index"/>.</summary>
    public string MaskPath(int index) => Path.Combine(Folder, DatasetFormat.MasksFolder, DatasetFormat.FrameFileName(index));

    public override string ToString() => $"{Id} ({Identity}, {FrameCount} frames)";
}
