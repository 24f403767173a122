using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Audio;
using RealtimeHead.Audio.Features;
using RealtimeHead.Audio.Vad;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Sessions;

/// <summary>
/// Makes each session's speech front-end (wav2vec2 when a model is configured, else log-mel with the renderer's feature
/// dimension) and voice-activity detector
/// (Silero VAD over the one shared model, or none: the pipeline then gates speech on energy).
/// </summary>
internal sealed partial class SpeechComponents : IDisposable
{
    private readonly ModelOptions _options;
    private readonly RenderDevice _device;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<SpeechComponents> _logger;
    private SileroVadModel? _vad;
    private Wav2Vec2Model? _wav2vec2;

    public SpeechComponents(IOptions<RealtimeHeadOptions> options, RenderDevice device, ILoggerFactory loggers)
    {
        _options = options.Value.Model;
        _device = device;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SpeechComponents>();
    }

    /// <summary>Whether sessions get a neural VAD (otherwise an energy gate).</summary>
    public bool HasVoiceActivityModel => _vad is not null;

    /// <summary>Short name of the sessions' front-end.</summary>
    public string FrontEndName => _wav2vec2 is null ? "log-mel" : "wav2vec2";

    /// <summary>
    /// Loads the wav2vec2 model when one is configured (its feature dimension must be the renderer's) and the VAD
    /// model; a VAD that fails to load is logged and replaced by the energy gate.
    /// </summary>
    public void Initialize()
    {
        var dimension = _device.Renderer.AudioFeatureDim;
        if (!string.IsNullOrWhiteSpace(_options.Wav2Vec2ModelPath) && _wav2vec2 is null)
        {
            _wav2vec2 = new Wav2Vec2Model(new Wav2Vec2Options { ModelPath = _options.Wav2Vec2ModelPath }, _loggers.CreateLogger<Wav2Vec2Model>());
            if (_wav2vec2.FeatureDim != dimension)
            {
                throw new InvalidOperationException(
                    $"Model:Wav2Vec2ModelPath gives {_wav2vec2.FeatureDim}-dim features but the renderer takes {dimension}; use a matching export or Model:Preset.");
            }
        }

        if (string.IsNullOrWhiteSpace(_options.VadModelPath) || _vad is not null)
        {
            return;
        }

        try
        {
            _vad = new SileroVadModel(new SileroVadOptions { ModelPath = _options.VadModelPath }, _loggers.CreateLogger<SileroVadModel>());
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Log.VadUnavailable(_logger, _options.VadModelPath, exception);
        }
    }

    public IAudioFrontEnd CreateFrontEnd() => _wav2vec2 is { } model
        ? new Wav2Vec2FrontEnd(model)
        : new LogMelFrontEnd(new LogMelOptions { MelBins = _device.Renderer.AudioFeatureDim });

    public IVoiceActivityDetector? CreateVoiceActivityDetector() => _vad is { } model ? new SileroVad(model) : null;

    public void Dispose()
    {
        _vad?.Dispose();
        _wav2vec2?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Silero VAD model {Path} could not be loaded; sessions gate speech on energy instead")]
        public static partial void VadUnavailable(ILogger logger, string? path, Exception exception);
    }
}
