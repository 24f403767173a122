using Microsoft.Extensions.Logging;

namespace RealtimeHead.Audio.Features;

public sealed partial class Wav2Vec2Model
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1600, Level = LogLevel.Information,
            Message = "wav2vec2 encoder loaded from {ModelPath}: output {OutputName}, {FeatureDim}-d features, on {Provider}")]
        public static partial void Loaded(ILogger logger, string modelPath, string outputName, int featureDim, string provider);

        [LoggerMessage(EventId = 1601, Level = LogLevel.Warning,
            Message = "wav2vec2 asked for CUDA but ONNX Runtime {Version} cannot load its CUDA provider; running on the CPU")]
        public static partial void CudaUnavailable(ILogger logger, string version);
    }
}
