using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.OnnxRuntime;

namespace RealtimeHead.Audio.Features;

/// <summary>
/// A loaded wav2vec2 encoder, shared by the <see cref="Wav2Vec2FrontEnd"/>s of all sessions (ONNX Runtime runs are
/// thread-safe on one session). Checks the model's interface at load so a wrong file fails at start, not mid-call.
/// </summary>
public sealed partial class Wav2Vec2Model : IDisposable
{
    /// <summary>Samples between frames of the wav2vec2 feature encoder (conv strides 5·2·2·2·2·2·2).</summary>
    public const int FrameStrideSamples = 320;

    /// <summary>Samples one frame of the feature encoder sees (conv kernels 10,3,3,3,3,2,2 with those strides).</summary>
    public const int ReceptiveFieldSamples = 400;

    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    public Wav2Vec2Model(Wav2Vec2Options options, ILogger<Wav2Vec2Model>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var log = logger ?? (ILogger)NullLogger.Instance;
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpNumThreads };
        UsesCuda = options.PreferCuda && sessionOptions.TryAppendExecutionProvider_CUDA();
        if (options.PreferCuda && !UsesCuda) Log.CudaUnavailable(log, OrtEnv.Instance().GetVersionString());
        _session = new InferenceSession(options.ModelPath, sessionOptions);
        try
        {
            (OutputName, FeatureDim) = CheckInterface(_session, options);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        _inputNames = [options.InputName];
        _outputNames = [OutputName];
        Log.Loaded(log, options.ModelPath, OutputName, FeatureDim, UsesCuda ? "CUDA" : "CPU");
    }

    public Wav2Vec2Options Options { get; }

    /// <summary>The output the features are read from.</summary>
    public string OutputName { get; }

    /// <summary>Length of each feature vector (768 for wav2vec2-base).</summary>
    public int FeatureDim { get; }

    /// <summary>Whether the CUDA execution provider was enabled.</summary>
    public bool UsesCuda { get; }

    /// <summary>Frames the encoder produces for <paramref name="samples"/> samples: ⌊(samples − 400) / 320⌋ + 1.</summary>
    public static int FrameCount(int samples) =>
        samples < ReceptiveFieldSamples ? 0 : (samples - ReceptiveFieldSamples) / FrameStrideSamples + 1;

    /// <summary>
    /// Encodes one window: <paramref name="window"/> [1, samples] to features [1, frames, <see cref="FeatureDim"/>],
    /// copied into a new array laid out frame by frame. Returns the frame count.
    /// </summary>
    public float[] Encode(float[] window, out int frames)
    {
        ArgumentNullException.ThrowIfNull(window);
        using var input = OrtValue.CreateTensorValueFromMemory(window, [1, window.Length]);
        using var outputs = _session.Run(null, _inputNames, [input], _outputNames);
        var info = outputs[0].GetTensorTypeAndShape();
        if (info.Shape.Length != 3 || info.Shape[0] != 1 || info.Shape[2] != FeatureDim)
        {
            throw new InvalidOperationException(
                $"wav2vec2 output '{OutputName}' has shape [{string.Join(", ", info.Shape)}]; expected [1, frames, {FeatureDim}].");
        }
        frames = (int)info.Shape[1];
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose() => _session.Dispose();

    private static (string OutputName, int FeatureDim) CheckInterface(InferenceSession session, Wav2Vec2Options options)
    {
        var errors = new List<string>();
        if (!session.InputMetadata.TryGetValue(options.InputName, out var input))
        {
            errors.Add($"it has no input '{options.InputName}' (inputs: {string.Join(", ", session.InputNames)}).");
        }
        else if (!input.IsTensor || input.ElementDataType != TensorElementType.Float || input.Dimensions.Length != 2)
        {
            errors.Add($"input '{options.InputName}' is {input}, expected Float[1, samples].");
        }
        if (session.InputNames.Count != 1) errors.Add($"it takes {session.InputNames.Count} inputs; only '{options.InputName}' is fed.");

        var outputName = options.OutputName
            ?? (session.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : session.OutputNames[0]);
        var featureDim = options.FeatureDim ?? 0;
        if (!session.OutputMetadata.TryGetValue(outputName, out var output))
        {
            errors.Add($"it has no output '{outputName}' (outputs: {string.Join(", ", session.OutputNames)}).");
        }
        else if (!output.IsTensor || output.ElementDataType != TensorElementType.Float || output.Dimensions.Length != 3)
        {
            errors.Add($"output '{outputName}' is {output}, expected Float[1, frames, dim].");
        }
        else
        {
            var declared = output.Dimensions[2];
            if (declared > 0 && options.FeatureDim is int configured && configured != declared)
                errors.Add($"FeatureDim is {configured} but output '{outputName}' declares {declared}.");
            if (declared > 0) featureDim = declared;
            else if (options.FeatureDim is null) errors.Add($"output '{outputName}' declares no fixed feature dimension: set FeatureDim.");
        }
        if (errors.Count > 0)
            throw new InvalidDataException($"'{options.ModelPath}' is not a usable wav2vec2 encoder: " + string.Join(" ", errors));
        return (outputName, featureDim);
    }
}
