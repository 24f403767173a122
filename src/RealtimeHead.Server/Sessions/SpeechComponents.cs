using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Audio;
using RealtimeHead.Audio.Features;
using RealtimeHead.Audio.Vad;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Sessions;

/// <summary>
/// Makes each session's speech front-end (log-mel with the renderer's feature dimension) and voice-activity detector
/// (Silero VAD over the one shared model, or none: the pipeline then gates speech on energy).
/// </summary>
internal sealed partial class SpeechComponents : IDisposable
{
    private readonly ModelOptions _options;
    private readonly RenderDevice _device;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger<SpeechComponents> _logger;
    private SileroVadModel? _vad;

    public SpeechComponents(IOptions<RealtimeHeadOptions> options, RenderDevice device, ILoggerFactory loggers)
    {
        _options = options.Value.Model;
        _device = device;
        _loggers = loggers;
        _logger = loggers.CreateLogger<SpeechComponents>();
    }

    /// <summary>Whether sessions get a neural VAD (otherwise an energy gate).</summary>
    public bool HasVoiceActivityModel => _vad is not null;

    /// <summary>Loads the VAD model when one is configured; a model that fails to load is logged and replaced by the energy gate.</summary>
    public void Initialize()
    {
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

    public IAudioFrontEnd CreateFrontEnd() => new LogMelFrontEnd(new LogMelOptions { MelBins = _device.Renderer.AudioFeatureDim });

    public IVoiceActivityDetector? CreateVoiceActivityDetector() => _vad is { } model ? new SileroVad(model) : null;

    public void Dispose() => _vad?.Dispose();

    private static partial class Log
    {
        [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Silero VAD model {Path} could not be loaded; sessions gate speech on energy instead")]
        public static partial void VadUnavailable(ILogger logger, string? path, Exception exception);
    }
}
