using RealtimeHead.Audio;
using RealtimeHead.Audio.Features;
using RealtimeHead.Corpus.Dataset;

namespace RealtimeHead.Training.Data;

/// <summary>
/// Log-mel features of a whole clip, computed offline with the streaming <see cref="LogMelFrontEnd"/> (so training sees
/// exactly the features the live pipeline computes), and the per-frame windows cut from them.
/// <para>
/// Alignment: feature j describes samples [320j, 320j + 320) (centre 320j + 160); video frame i shows the instant
/// 640i (docs/dataset-format.md: frame i shows time i / 25 s). As in the pipeline's FeatureWindower, the centre feature
/// of frame i is the one whose timestamp is nearest to 640i, ties to the later one: c = 2i; its window holds features
/// c − W/2 … c + W/2 − 1. Rows outside the clip are the features of digital silence.
/// </para>
/// </summary>
public sealed class AudioFeatures
{
    private readonly float[] _values;

    private AudioFeatures(float[] values, int frames, float[] silence)
    {
        _values = values;
        FrameCount = frames;
        Silence = silence;
    }

    /// <summary>Feature frames per video frame (50 / 25).</summary>
    public const int FeaturesPerVideoFrame = 2;

    /// <summary>Feature frames: two per video frame.</summary>
    public int FrameCount { get; }

    public int Dim => Silence.Length;

    /// <summary>The feature vector of digital silence (the log floor in every bin).</summary>
    public float[] Silence { get; }

    /// <summary>Features of <paramref name="samples"/> (16 kHz), exactly <paramref name="videoFrames"/> × 2 frames.</summary>
    public static AudioFeatures Compute(ReadOnlySpan<short> samples, int videoFrames, int melBins)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(videoFrames);
        using var frontEnd = new LogMelFrontEnd(new LogMelOptions { MelBins = melBins });
        var wanted = videoFrames * FeaturesPerVideoFrame;
        var values = new float[wanted * melBins];
        var produced = 0;
        void Take(IReadOnlyList<FeatureFrame> frames)
        {
            foreach (var frame in frames)
            {
                if (produced >= wanted) return;
                frame.Values.AsSpan().CopyTo(values.AsSpan(produced * melBins, melBins));
                produced++;
            }
        }

        var floats = new float[samples.Length];
        for (var i = 0; i < floats.Length; i++) floats[i] = samples[i] / 32768f;
        Take(frontEnd.Process(floats, 0));
        // Flush the look-ahead of the last frames with silence (the clip ends there).
        Take(frontEnd.Process(new float[DatasetFormat.SamplesPerFrame * 2], 0));

        var silence = new float[melBins];
        using (var quiet = new LogMelFrontEnd(new LogMelOptions { MelBins = melBins }))
        {
            var frames = quiet.Process(new float[DatasetFormat.SampleRate], 0);
            frames[^1].Values.AsSpan().CopyTo(silence);
        }
        for (; produced < wanted; produced++) silence.CopyTo(values.AsSpan(produced * melBins, melBins));
        return new AudioFeatures(values, wanted, silence);
    }

    /// <summary>Feature frame <paramref name="index"/>, or silence outside the clip.</summary>
    public ReadOnlySpan<float> Frame(int index) =>
        index >= 0 && index < FrameCount ? _values.AsSpan(index * Dim, Dim) : Silence;

    /// <summary>Index of the first feature of video frame <paramref name="frame"/>'s window of <paramref name="window"/> rows.</summary>
    public static int WindowStart(int frame, int window) => FeaturesPerVideoFrame * frame - window / 2;

    /// <summary>Writes the W-row window of video frame <paramref name="frame"/> into <paramref name="destination"/> (W × Dim).</summary>
    public void CopyWindow(int frame, int window, Span<float> destination)
    {
        var start = WindowStart(frame, window);
        for (var r = 0; r < window; r++) Frame(start + r).CopyTo(destination.Slice(r * Dim, Dim));
    }

    /// <summary>
    /// The features spanning video frames [<paramref name="firstFrame"/>, firstFrame + T): 2T rows (at least
    /// <paramref name="minimumRows"/>, widened equally on both sides), for the lip-sync discriminator's audio branch.
    /// </summary>
    public void CopySpan(int firstFrame, int frames, int minimumRows, Span<float> destination)
    {
        var rows = SpanRows(frames, minimumRows);
        var start = FeaturesPerVideoFrame * firstFrame - (rows - FeaturesPerVideoFrame * frames) / 2;
        for (var r = 0; r < rows; r++) Frame(start + r).CopyTo(destination.Slice(r * Dim, Dim));
    }

    /// <summary>Rows <see cref="CopySpan"/> writes.</summary>
    public static int SpanRows(int frames, int minimumRows) => Math.Max(FeaturesPerVideoFrame * frames, minimumRows);
}
