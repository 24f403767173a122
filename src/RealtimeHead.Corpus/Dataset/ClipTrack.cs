namespace RealtimeHead.Corpus.Dataset;

/// <summary>
/// A clip's <c>track.json</c>: everything per frame except the images and the audio. Camera poses are 4x4
/// camera-to-world matrices, row-major, acting on column vectors, in the head-centred world frame with OpenCV
/// camera axes; intrinsics in pixels with pixel centres at +0.5; landmarks in the same pixel coordinates.
/// </summary>
public sealed record ClipTrack
{
    public required string Clip { get; init; }

    public required string Identity { get; init; }

    public required int Fps { get; init; }

    public required int SampleRate { get; init; }

    public required int Width { get; init; }

    public required int Height { get; init; }

    public required int FrameCount { get; init; }

    public required IntrinsicsRecord Intrinsics { get; init; }

    public required IReadOnlyList<FrameRecord> Frames { get; init; }

    /// <summary>Timed phonemes (IPA) with visemes; optional (a real clip has them only after forced alignment).</summary>
    public IReadOnlyList<PhonemeRecord>? Phonemes { get; init; }

    /// <summary>The spoken text, when known.</summary>
    public string? Text { get; init; }

    /// <summary>Synthetic clips: the espeak-ng voice, rate and pitch. Absent for real video.</summary>
    public VoiceRecord? Voice { get; init; }
}

/// <summary>Pinhole intrinsics in pixels.</summary>
public sealed record IntrinsicsRecord(double Fx, double Fy, double Cx, double Cy);

/// <summary>
/// Per-frame data. <see cref="CameraToWorld"/>: 16 numbers, row-major. <see cref="Landmarks"/>: 68 [x, y]
/// pairs in pixels (iBUG 300-W order). <see cref="Mouth"/> and <see cref="Blink"/> are ground truth that only
/// synthetic clips carry.
/// </summary>
public sealed record FrameRecord
{
    public required int Index { get; init; }

    public required double Time { get; init; }

    public required double[] CameraToWorld { get; init; }

    public required double[][] Landmarks { get; init; }

    public MouthRecord? Mouth { get; init; }

    public double? Blink { get; init; }
}

/// <summary>Articulation ground truth (see <see cref="Animation.MouthShape"/>).</summary>
public sealed record MouthRecord(double JawOpen, double LipWidth, double Rounding, double LipPress);

/// <summary>A phoneme span in seconds from the clip start; <see cref="Phoneme"/> is IPA, empty for a pause.</summary>
public sealed record PhonemeRecord(string Phoneme, string Viseme, double Start, double End);

/// <summary>The synthetic voice of a clip.</summary>
public sealed record VoiceRecord(string Name, int Rate, int Pitch, int PitchRange);
