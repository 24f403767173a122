namespace RealtimeHead.Audio.Vad;

/// <summary>Configuration of <see cref="SileroVadModel"/>.</summary>
public sealed record SileroVadOptions
{
    /// <summary>
    /// The Silero VAD v5 ONNX file (required; ./setup.sh deps puts one at artifacts/native/silero_vad.onnx):
    /// inputs input [1, samples], state [2, 1, 128], sr (int64 scalar); outputs output [1, 1], stateN [2, 1, 128].
    /// </summary>
    public string ModelPath { get; init; } = string.Empty;

    /// <summary>Rate of the audio, 16000 (default; 512-sample windows) or 8000 (256-sample windows).</summary>
    public int SampleRate { get; init; } = 16_000;

    /// <summary>ONNX Runtime intra-op threads, in [0, 64] (default 1: the model is tiny and runs per stream).</summary>
    public int IntraOpNumThreads { get; init; } = 1;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelPath)) errors.Add("ModelPath is required (./setup.sh deps puts the model at artifacts/native/silero_vad.onnx).");
        if (SampleRate is not (16_000 or 8_000)) errors.Add($"SampleRate must be 16000 or 8000 (was {SampleRate}).");
        if (IntraOpNumThreads is < 0 or > 64) errors.Add($"IntraOpNumThreads must be in [0, 64] (was {IntraOpNumThreads}).");
        if (errors.Count > 0) throw new ArgumentException("Invalid SileroVadOptions: " + string.Join(" ", errors));
    }
}
