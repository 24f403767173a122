using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Data;

/// <summary>A clip loaded for evaluation: frames, landmarks (interleaved x, y in pixels of the frames), poses and features.</summary>
public sealed class ClipData
{
    public required ClipEntry Entry { get; init; }

    public required IReadOnlyList<RgbImage> Frames { get; init; }

    public required IReadOnlyList<double[]> Landmarks { get; init; }

    /// <summary>Camera-to-world matrices, 16 numbers row-major (track.json).</summary>
    public required IReadOnlyList<double[]> Poses { get; init; }

    public required short[] Audio { get; init; }

    public required ClipAudioFeatures Features { get; init; }

    public int FrameCount => Frames.Count;

    /// <summary>Loads frames 0 … <paramref name="maxFrames"/> − 1 (all when null) of a clip.</summary>
    public static ClipData Load(CorpusReader reader, ClipEntry clip, int? maxFrames = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var track = reader.ReadTrack(clip);
        var count = Math.Min(maxFrames ?? clip.FrameCount, clip.FrameCount);
        var frames = new RgbImage[count];
        var landmarks = new double[count][];
        var poses = new double[count][];
        for (var i = 0; i < count; i++)
        {
            frames[i] = reader.ReadFrame(clip, i);
            landmarks[i] = track.Frames[i].Landmarks.SelectMany(p => p).ToArray();
            poses[i] = track.Frames[i].CameraToWorld;
        }
        var audio = reader.ReadAudio(clip);
        var kept = audio.AsSpan(0, Math.Min(audio.Length, count * 640)).ToArray();
        return new ClipData
        {
            Entry = clip,
            Frames = frames,
            Landmarks = landmarks,
            Poses = poses,
            Audio = kept,
            Features = ClipAudioFeatures.Compute(kept),
        };
    }

    /// <summary>Landmarks scaled to frames resized to <paramref name="width"/> × <paramref name="height"/>.</summary>
    public double[] ScaledLandmarks(int frame, int width, int height)
    {
        var source = Frames[frame];
        double sx = (double)width / source.Width, sy = (double)height / source.Height;
        var scaled = new double[136];
        for (var p = 0; p < 68; p++)
        {
            scaled[2 * p] = Landmarks[frame][2 * p] * sx;
            scaled[2 * p + 1] = Landmarks[frame][2 * p + 1] * sy;
        }
        return scaled;
    }
}
