using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.OnnxRuntime;

namespace RealtimeHead.Audio.Vad;

/// <summary>
/// The loaded Silero VAD network, shared by the <see cref="SileroVad"/> of every stream (runs are thread-safe on one
/// ONNX Runtime session; the recurrent state lives in each <see cref="SileroVad"/>). The interface is checked at load.
/// </summary>
public sealed partial class SileroVadModel : IDisposable
{
    internal const int StateSize = 2 * 1 * 128;
    internal static readonly string[] InputNames = ["input", "state", "sr"];
    internal static readonly string[] OutputNames = ["output", "stateN"];

    public SileroVadModel(SileroVadOptions options, ILogger<SileroVadModel>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpNumThreads };
        Session = new InferenceSession(options.ModelPath, sessionOptions);
        try
        {
            CheckInterface(Session, options.ModelPath);
        }
        catch
        {
            Session.Dispose();
            throw;
        }
        // Silero v5 at 16 kHz: 512-sample windows, each prefixed with the last 64 samples of the one before (32 of 256 at 8 kHz).
        WindowSamples = options.SampleRate == 16_000 ? 512 : 256;
        ContextSamples = options.SampleRate == 16_000 ? 64 : 32;
        Log.Loaded(logger ?? (ILogger)NullLogger.Instance, options.ModelPath, options.SampleRate, WindowSamples);
    }

    public SileroVadOptions Options { get; }

    /// <summary>Samples per window (512 at 16 kHz = 32 ms).</summary>
    public int WindowSamples { get; }

    /// <summary>Samples of the previous window fed again before each window (64 at 16 kHz).</summary>
    public int ContextSamples { get; }

    internal InferenceSession Session { get; }

    public void Dispose() => Session.Dispose();

    private static void CheckInterface(InferenceSession session, string path)
    {
        var errors = new List<string>();
        foreach (var name in InputNames)
            if (!session.InputMetadata.ContainsKey(name)) errors.Add($"no input '{name}'");
        foreach (var name in OutputNames)
            if (!session.OutputMetadata.ContainsKey(name)) errors.Add($"no output '{name}'");
        if (session.InputMetadata.TryGetValue("sr", out var sr) && sr.ElementDataType != TensorElementType.Int64)
            errors.Add($"input 'sr' is {sr}, expected an Int64 scalar");
        if (session.InputMetadata.TryGetValue("state", out var state) && state.Dimensions.Length != 3)
            errors.Add($"input 'state' is {state}, expected Float[2, batch, 128]");
        if (errors.Count > 0)
        {
            throw new InvalidDataException(
                $"'{path}' is not a Silero VAD v5 model ({string.Join("; ", errors)}). It has inputs " +
                $"{string.Join(", ", session.InputMetadata.Select(p => $"{p.Key}: {p.Value}"))} and outputs " +
                $"{string.Join(", ", session.OutputMetadata.Select(p => $"{p.Key}: {p.Value}"))}.");
        }
    }
}
