namespace RealtimeHead.Corpus;

/// <summary>What <see cref="CorpusGenerator"/> makes. Every field has a default and a documented range.</summary>
public sealed record CorpusOptions
{
    /// <summary>Number of distinct people (1–100000; default 4).</summary>
    public int Identities { get; init; } = 4;

    /// <summary>Clips per person, each with its own text, voice, light and motion (1–1000; default 1).</summary>
    public int ClipsPerIdentity { get; init; } = 1;

    /// <summary>Length of each clip in seconds, rounded to whole 25 fps frames (0.04–3600; default 10).</summary>
    public double SecondsPerClip { get; init; } = 10;

    /// <summary>Side of the square frames in pixels (16–2048; default 256).</summary>
    public int ImageSize { get; init; } = 256;

    /// <summary>Corpus seed: the same seed and options give byte-identical files.</summary>
    public int Seed { get; init; }

    /// <summary>Scale of the natural head motion (0 = frozen frontal head; 0–3; default 1).</summary>
    public double MotionScale { get; init; } = 1;

    /// <summary>Threads for rendering the rows of a frame (−1 = all cores, else 1–1024; default −1).</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Focal length in units of the image width (0.5–5; default 1.5, the model's shared convention).</summary>
    public double FocalLength { get; init; } = 1.5;

    /// <summary>Camera distance from the head centre in world units (0.8–5; default 1.5, the model's shared convention).</summary>
    public double CameraDistance { get; init; } = 1.5;

    /// <summary>Frames per clip.</summary>
    public int FramesPerClip => Math.Max(1, (int)Math.Round(SecondsPerClip * Dataset.DatasetFormat.Fps));

    /// <summary>Every problem with these options, each saying what to change; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        Check(Identities is >= 1 and <= 100_000, $"Identities must be 1–100000 (got {Identities}).");
        Check(ClipsPerIdentity is >= 1 and <= 1000, $"ClipsPerIdentity must be 1–1000 (got {ClipsPerIdentity}).");
        Check(SecondsPerClip is >= 0.04 and <= 3600, $"SecondsPerClip must be 0.04–3600 s (got {SecondsPerClip}).");
        Check(ImageSize is >= 16 and <= 2048, $"ImageSize must be 16–2048 pixels (got {ImageSize}).");
        Check(MotionScale is >= 0 and <= 3, $"MotionScale must be 0–3 (got {MotionScale}).");
        Check(MaxDegreeOfParallelism == -1 || MaxDegreeOfParallelism is >= 1 and <= 1024, $"MaxDegreeOfParallelism must be -1 or 1–1024 (got {MaxDegreeOfParallelism}).");
        Check(FocalLength is >= 0.5 and <= 5, $"FocalLength must be 0.5–5 image widths (got {FocalLength}).");
        Check(CameraDistance is >= 0.8 and <= 5, $"CameraDistance must be 0.8–5 (got {CameraDistance}).");
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem at once.</summary>
    public CorpusOptions EnsureValid()
    {
        var errors = Validate();
        return errors.Count == 0 ? this : throw new ArgumentException("Invalid corpus options: " + string.Join(" ", errors));
    }
}
