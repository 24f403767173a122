using RealtimeHead.Audio.Features;

namespace RealtimeHead.Evaluation.Data;

/// <summary>
/// The log-mel features of a whole clip (<see cref="LogMelFrontEnd"/>, 50 frames/s, 2 per 25 fps video frame): row j
/// describes samples [320j, 320j + 320), so video frame k owns rows 2k and 2k + 1. Rows outside the clip read as
/// digital silence (the front end's log floor).
/// </summary>
public sealed class ClipAudioFeatures
{
    public const int RowsPerVideoFrame = 2;

    private readonly float[][] _rows;
    private readonly float[] _silence;

    private ClipAudioFeatures(float[][] rows, float[] silence)
    {
        _rows = rows;
        _silence = silence;
    }

    public int Rows => _rows.Length;

    public int FeatureDim => _silence.Length;

    /// <summary>Features of 16 kHz PCM; exactly 2 rows per 640 samples (the last partial slot is dropped).</summary>
    public static ClipAudioFeatures Compute(ReadOnlySpan<short> samples, LogMelOptions? options = null)
    {
        using var frontEnd = new LogMelFrontEnd(options ?? new LogMelOptions());
        var floats = new float[samples.Length + frontEnd.LookaheadSamples + 640];
        for (var i = 0; i < samples.Length; i++) floats[i] = samples[i] / 32768f;
        var frames = frontEnd.Process(floats, 0);
        var count = samples.Length / 640 * RowsPerVideoFrame;
        var rows = new float[count][];
        for (var j = 0; j < count; j++) rows[j] = frames[j].Values.ToArray();
        var silence = new float[frontEnd.FeatureDim];
        Array.Fill(silence, MathF.Log((float)frontEnd.Options.LogFloor));
        return new ClipAudioFeatures(rows, silence);
    }

    /// <summary>Row <paramref name="index"/>, or silence outside the clip.</summary>
    public ReadOnlySpan<float> Row(int index) => index >= 0 && index < _rows.Length ? _rows[index] : _silence;

    /// <summary>Rows [start, start + length) packed row-major into <paramref name="destination"/> (length × FeatureDim).</summary>
    public void CopyWindow(int start, int length, Span<float> destination)
    {
        var dim = FeatureDim;
        if (destination.Length != length * dim) throw new ArgumentException($"destination needs {length * dim} values");
        for (var r = 0; r < length; r++) Row(start + r).CopyTo(destination.Slice(r * dim, dim));
    }

    /// <summary>
    /// The generator's window for video frame <paramref name="frame"/>: <paramref name="window"/> rows centred on the
    /// frame's start, rows 2k − W/2 … 2k + W/2 − 1 (the pipeline's FeatureWindower: row W/2 is the frame's instant).
    /// </summary>
    public float[] GeneratorWindow(int frame, int window)
    {
        var values = new float[window * FeatureDim];
        CopyWindow(RowsPerVideoFrame * frame - window / 2, window, values);
        return values;
    }
}
