using RealtimeHead.Rendering;

namespace RealtimeHead.Server.Tests.Bots;

/// <summary>
/// A grey-frame renderer that records the mean of each audio window it renders: the first one (the idle face, silence
/// features) and the largest, so a test can tell that audio with energy reached the face.
/// </summary>
internal sealed class RecordingRenderer : ITalkingHeadRenderer
{
    private readonly Lock _gate = new();
    private double? _firstMean;
    private double _maxMean = double.MinValue;
    private long _frames;

    public int FrameSize => 32;

    public int AudioWindowFrames => 16;

    public int AudioFeatureDim => 80;

    public long FramesRendered => Interlocked.Read(ref _frames);

    /// <summary>Mean of the first window rendered (before any audio: the front-end's silence).</summary>
    public double FirstWindowMean
    {
        get
        {
            lock (_gate)
            {
                return _firstMean ?? double.NaN;
            }
        }
    }

    public double MaxWindowMean
    {
        get
        {
            lock (_gate)
            {
                return _maxMean;
            }
        }
    }

    public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height) => new Portrait(portraitId);

    public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch)
    {
        lock (_gate)
        {
            foreach (var request in batch)
            {
                // The scheduler's start-up calibration (RenderScheduler.CalibrateAsync) renders an all-zero window: not a
                // session's audio, so neither the idle baseline nor a voice.
                if (request.AudioWindow.AsSpan().IndexOfAnyExcept(0f) < 0)
                {
                    continue;
                }

                var mean = request.AudioWindow.Average();
                _firstMean ??= mean;
                _maxMean = Math.Max(_maxMean, mean);
            }
        }

        Interlocked.Add(ref _frames, batch.Count);
        return [.. batch.Select(_ => new RenderedFrame(new byte[FrameSize * FrameSize * 3], FrameSize, FrameSize))];
    }

    public void Dispose()
    {
    }

    private sealed class Portrait(string id) : IPortraitEncoding
    {
        public string PortraitId { get; } = id;

        public void Dispose()
        {
        }
    }
}
