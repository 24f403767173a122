namespace RealtimeHead.Audio.Features;

/// <summary>Configuration of <see cref="Wav2Vec2Model"/> and <see cref="Wav2Vec2FrontEnd"/>.</summary>
public sealed record Wav2Vec2Options
{
    /// <summary>
    /// Operator-supplied ONNX export of a wav2vec2 encoder (required): input <see cref="InputName"/> [1, samples]
    /// float at 16 kHz, output [1, frames, dim] at 50 frames/s. No weights ship with RealtimeHead.
    /// </summary>
    public string ModelPath { get; init; } = string.Empty;

    /// <summary>Audio input name (default "input_values", as Hugging Face exports).</summary>
    public string InputName { get; init; } = "input_values";

    /// <summary>Feature output name; null (default) takes "last_hidden_state" when present, else the first output.</summary>
    public string? OutputName { get; init; }

    /// <summary>
    /// Audio before the first new frame given to the model each run, in 16 kHz samples, in [0, 160000]
    /// (default 16000 = 1 s). More context is closer to offline features and costs more per run.
    /// </summary>
    public int ContextSamples { get; init; } = 16_000;

    /// <summary>
    /// Audio after a frame's centre that must have arrived before it is emitted, in samples, in [200, 16000]
    /// (default 1280 = 80 ms, Ditto's online lookahead). At least 200: half the encoder's 400-sample receptive field.
    /// </summary>
    public int LookaheadSamples { get; init; } = 1280;

    /// <summary>
    /// New frames gathered before the model runs, in [1, 50] (default 2 = one 25 fps video frame). Each run costs a
    /// whole context window, so 1 doubles the compute of 2 for 20 ms less latency on the first frame of a pair.
    /// </summary>
    public int FramesPerRun { get; init; } = 2;

    /// <summary>Scale each run's window to zero mean, unit variance (Hugging Face's do_normalize; default false).</summary>
    public bool NormalizeInput { get; init; }

    /// <summary>Feature dimension when the model's output declares it symbolically (null: read it from the model).</summary>
    public int? FeatureDim { get; init; }

    /// <summary>ONNX Runtime intra-op threads for the encoder, in [0, 64] (default 1; 0 = one per core).</summary>
    public int IntraOpNumThreads { get; init; } = 1;

    /// <summary>Try the CUDA execution provider first (default false); the CPU is used when CUDA cannot be loaded.</summary>
    public bool PreferCuda { get; init; }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelPath)) errors.Add("ModelPath is required (an ONNX export of a wav2vec2 encoder).");
        if (string.IsNullOrWhiteSpace(InputName)) errors.Add("InputName must not be empty.");
        if (ContextSamples is < 0 or > 160_000) errors.Add($"ContextSamples must be in [0, 160000] (was {ContextSamples}).");
        if (LookaheadSamples is < 200 or > 16_000) errors.Add($"LookaheadSamples must be in [200, 16000] (was {LookaheadSamples}).");
        if (FramesPerRun is < 1 or > 50) errors.Add($"FramesPerRun must be in [1, 50] (was {FramesPerRun}).");
        if (FeatureDim is <= 0) errors.Add($"FeatureDim must be positive when set (was {FeatureDim}).");
        if (IntraOpNumThreads is < 0 or > 64) errors.Add($"IntraOpNumThreads must be in [0, 64] (was {IntraOpNumThreads}).");
        if (errors.Count > 0) throw new ArgumentException("Invalid Wav2Vec2Options: " + string.Join(" ", errors));
    }
}
