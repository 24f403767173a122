using System.Diagnostics;
using System.Threading.Channels;
using RealtimeHead.Audio;
using RealtimeHead.Media;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Benchmarks;

/// <summary>
/// A renderer that costs <c>perBatch + perItem × n</c> of busy CPU (a GPU kernel launch plus per-frame work), scaled
/// by quality (no super-resolution 0.6, low resolution 0.35), and returns a flat image.
/// </summary>
internal sealed class SyntheticRenderer(double perBatchMs, double perItemMs, int frameSize) : ITalkingHeadRenderer
{
    public int FrameSize => frameSize;

    public int AudioWindowFrames => 16;

    public int AudioFeatureDim => SyntheticFrontEnd.Dim;

    public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height) => new Portrait(portraitId);

    public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch)
    {
        var scale = batch[0].Quality switch
        {
            RenderQuality.Full => 1.0,
            RenderQuality.NoSuperResolution => 0.6,
            _ => 0.35,
        };
        var cost = TimeSpan.FromMilliseconds((perBatchMs + (perItemMs * batch.Count)) * scale);
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < cost)
        {
            Thread.SpinWait(50);
        }

        return batch.Select(r =>
        {
            var size = r.Quality == RenderQuality.LowResolution ? frameSize / 2 : frameSize;
            var rgb = new byte[size * size * 3];
            Array.Fill(rgb, (byte)Math.Clamp(r.AudioWindow[8 * SyntheticFrontEnd.Dim] * 255, 0, 255));
            return new RenderedFrame(rgb, size, size);
        }).ToList();
    }

    public void Dispose()
    {
    }

    private sealed class Portrait(string id) : IPortraitEncoding
    {
        public string PortraitId => id;

        public void Dispose()
        {
        }
    }
}

/// <summary>80 band energies per 20 ms of 16 kHz audio (a cheap stand-in for log-mel), no lookahead.</summary>
internal sealed class SyntheticFrontEnd : IAudioFrontEnd
{
    public const int Dim = 80;
    private readonly List<float> _buffer = [];
    private long _start;

    public string Name => "synthetic";

    public int FeatureDim => Dim;

    public int FramesPerSecond => 50;

    public int LookaheadSamples => 0;

    public IReadOnlyList<FeatureFrame> Process(ReadOnlySpan<float> samples, long mediaTimestamp)
    {
        if (_buffer.Count == 0)
        {
            _start = mediaTimestamp;
        }

        foreach (var s in samples)
        {
            _buffer.Add(s);
        }

        var frames = new List<FeatureFrame>();
        while (_buffer.Count >= 320)
        {
            var values = new float[Dim];
            for (var band = 0; band < Dim; band++)
            {
                var sum = 0f;
                for (var i = band * 4; i < (band * 4) + 4; i++)
                {
                    sum += _buffer[i] * _buffer[i];
                }

                values[band] = MathF.Sqrt(sum / 4);
            }

            frames.Add(new FeatureFrame(values, _start + 480));
            _buffer.RemoveRange(0, 320);
            _start += 960;
        }

        return frames;
    }

    public void Reset() => _buffer.Clear();

    public void Dispose()
    {
    }
}

/// <summary>
/// A peer that speaks in real time (20 ms frames of a syllable-modulated tone) and accepts whatever is sent. Like the
/// server's inbound track (InboundAudioTrack), its first frame sits at the session's media position when it is played
/// (samples since <paramref name="sessionStart"/>, a Stopwatch timestamp taken when the pipeline session was made), not
/// at 0: a peer that starts speaking after the session started has not been delayed by that gap.
/// </summary>
internal sealed class SpeakingPeer(string id, long sessionStart) : IPeerMediaSession
{
    private readonly Channel<AudioFrame> _inbound = Channel.CreateBounded<AudioFrame>(256);
    private long _videoFrames;

    public string SessionId => id;

    public ChannelReader<AudioFrame> InboundAudio => _inbound.Reader;

    public Task Completion => Task.CompletedTask;

    public long VideoFrames => Interlocked.Read(ref _videoFrames);

    public event Action? KeyframeRequested;

    public event Action<int>? TargetBitrateChanged;

    public ValueTask SendVideoAsync(VideoFrame frame, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _videoFrames);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAudioAsync(AudioFrame frame, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <summary>Pushes one 20 ms frame every 20 ms of real time until cancelled.</summary>
    public async Task SpeakAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var position = (long)(Stopwatch.GetElapsedTime(sessionStart).TotalSeconds * MediaClock.SampleRate);
        var start = Stopwatch.GetTimestamp() - (position * Stopwatch.Frequency / MediaClock.SampleRate);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Catch up if the timer slipped: the media clock follows real time, as a microphone does.
                var due = (long)(Stopwatch.GetElapsedTime(start).TotalSeconds * MediaClock.SampleRate);
                while (position + 960 <= due)
                {
                    _inbound.Writer.TryWrite(Speech(position));
                    position += 960;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        KeyframeRequested?.Invoke();
        TargetBitrateChanged?.Invoke(0);
    }

    public ValueTask DisposeAsync()
    {
        _inbound.Writer.TryComplete();
        return ValueTask.CompletedTask;
    }

    private static AudioFrame Speech(long position)
    {
        var samples = new short[960];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)(position + i) / MediaClock.SampleRate;
            samples[i] = (short)(12_000 * (0.55 + (0.45 * Math.Sin(2 * Math.PI * 3 * t))) * Math.Sin(2 * Math.PI * 220 * t));
        }

        return new AudioFrame(samples, MediaClock.SampleRate, 1, position);
    }
}

/// <summary>Inputs of the S3D-NeRF mode.</summary>
internal static class S3DParts
{
    /// <summary>A face-coloured disc on blue, RGB24 of <paramref name="size"/> squared.</summary>
    public static byte[] Portrait(int size)
    {
        var rgb = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var inside = Math.Pow(x - (size / 2.0), 2) + Math.Pow(y - (size / 2.0), 2) < Math.Pow(size / 3.0, 2);
                var o = ((y * size) + x) * 3;
                (rgb[o], rgb[o + 1], rgb[o + 2]) = inside ? ((byte)224, (byte)172, (byte)140) : ((byte)30, (byte)60, (byte)160);
            }
        }

        return rgb;
    }

    /// <summary>Warms every rung up (batches of 1, 2, 4), then the median of five batch-1 renders per rung.</summary>
    public static List<(RenderQuality Quality, double Milliseconds)> MeasureRungs(ITalkingHeadRenderer renderer, IPortraitEncoding portrait)
    {
        var window = new float[renderer.AudioWindowFrames * renderer.AudioFeatureDim];
        var result = new List<(RenderQuality, double)>();
        foreach (var quality in Enum.GetValues<RenderQuality>())
        {
            foreach (var size in new[] { 1, 2, 4 })
            {
                renderer.Render(Enumerable.Repeat(new RenderRequest(portrait, window, HeadPose.Frontal, quality), size).ToList());
            }

            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                renderer.Render([new RenderRequest(portrait, window, HeadPose.Frontal, quality)]);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            result.Add((quality, times[2]));
        }

        return result;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}
