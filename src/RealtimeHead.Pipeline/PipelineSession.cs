using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RealtimeHead.Audio;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Idle;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Pipeline.Stages;
using RealtimeHead.Pipeline.Sync;
using RealtimeHead.Pipeline.Windowing;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline;

/// <summary>
/// The streaming pipeline of one peer: its voice drives its portrait. Stages, each a loop on its own bounded channel:
/// inbound (48 kHz) → resample (16 kHz) → features (+ voice activity) → windows → the device's
/// <see cref="RenderScheduler"/> → RGB→I420 → paced video send; and inbound → delay line → paced audio send. Every item
/// carries its position on the one 48 kHz media clock and its stage timestamps. The session does not own the peer,
/// portrait, front-end, detector or resampler it is given.
/// </summary>
public sealed partial class PipelineSession : IAsyncDisposable
{
    private readonly IPeerMediaSession _peer;
    private readonly IAudioFrontEnd _frontEnd;
    private readonly IAudioResampler _resampler;
    private readonly RenderScheduler _scheduler;
    private readonly PipelineSessionOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly SessionContext _context;
    private readonly FrameTimeline _timeline;
    private readonly SpeechGate _gate;
    private readonly RenderSession _render;
    private readonly Channel<PcmBlock> _inbound;
    private readonly Channel<PcmBlock> _resampled;
    private readonly Channel<FeatureBlock> _features;
    private readonly Channel<RenderedVideo> _rendered;
    private readonly Channel<ConvertedVideo> _converted;
    private readonly Channel<OutboundAudio> _audioOut;
    private readonly int _outputSize;
    private readonly long _start;
    private readonly List<IDisposable> _registrations = [];
    private Task _stages = Task.CompletedTask;
    private (long Video, long Audio) _flushPositions;
    private int _state; // 0 new, 1 running, 2 disposed

    /// <param name="peer">The transport side of the call.</param>
    /// <param name="portrait">The face, encoded by <paramref name="scheduler"/>'s renderer.</param>
    /// <param name="frontEnd">Speech features; its dimension must match the renderer's.</param>
    /// <param name="voiceActivity">Voice-activity detector, or null to gate on energy.</param>
    /// <param name="resampler">48 kHz → 16 kHz converter for this session (stateful: not shared).</param>
    /// <param name="scheduler">The device's scheduler.</param>
    /// <param name="options">Settings; validated here.</param>
    /// <param name="timeProvider">Clock of every wait and measurement.</param>
    /// <param name="metrics">Shared instruments.</param>
    /// <param name="logger">Log sink.</param>
    public PipelineSession(IPeerMediaSession peer, IPortraitEncoding portrait, IAudioFrontEnd frontEnd, IVoiceActivityDetector? voiceActivity,
        IAudioResampler resampler, RenderScheduler scheduler, PipelineSessionOptions options, TimeProvider timeProvider,
        PipelineMetrics metrics, ILogger<PipelineSession> logger)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(portrait);
        ArgumentNullException.ThrowIfNull(frontEnd);
        ArgumentNullException.ThrowIfNull(resampler);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ThrowIfIncompatible(options, frontEnd, resampler, scheduler.Renderer);

        _peer = peer;
        _frontEnd = frontEnd;
        _resampler = resampler;
        _scheduler = scheduler;
        _options = options;
        _logger = logger;
        _outputSize = scheduler.Renderer.FrameSize;
        _start = timeProvider.GetTimestamp();
        SessionId = peer.SessionId;

        var frameRate = scheduler.Options.FrameRate;
        var samplesPerFrame = MediaClock.SampleRate / frameRate;
        var featureStep = MediaClock.SampleRate / frontEnd.FramesPerSecond;
        var clock = new PlayoutClock(timeProvider, _start, options.InitialAvDelay, options.MinAvDelay, options.MaxAvDelay,
            options.AvDelayMargin, options.AvDelayWindowFrames, options.AvDelayDecayPerFrame);
        _context = new SessionContext(SessionId, timeProvider, metrics, options, clock, logger, _lifetime.Token);
        _context.Stats.SetAvDelay(clock.Delay);

        var silence = SilenceFeatures.Measure(frontEnd);
        var windower = new FeatureWindower(options.AudioWindowFrames, options.LookaheadFeatureFrames, options.SmoothingRadius,
            samplesPerFrame, featureStep, silence);
        var poses = new IdlePoseGenerator(options.IdleMotionSeed ?? StableHash(SessionId), options.IdleMotionDegrees);
        _timeline = new FrameTimeline(_context, windower, poses, samplesPerFrame,
            FrameTimeline.ReadinessLagSamples(options.LookaheadFeatureFrames, featureStep, frontEnd.LookaheadSamples));
        _gate = new SpeechGate(voiceActivity, options.VoiceThreshold, options.EnergyThresholdDbfs, options.VoiceHangover, options.VoicePreroll);

        // Every queue drops its oldest item when full and counts it. Readers are not single: a flush empties them too.
        _inbound = Bounded<PcmBlock>(options.InboundQueueCapacity, PipelineStage.Resample, DropReason.QueueFull);
        _resampled = Bounded<PcmBlock>(options.FeatureQueueCapacity, PipelineStage.Features, DropReason.QueueFull);
        _features = Bounded<FeatureBlock>(options.FeatureQueueCapacity, PipelineStage.Window, DropReason.QueueFull);
        _rendered = Bounded<RenderedVideo>(options.OutputQueueCapacity, PipelineStage.Convert, DropReason.OutputFull, singleWriter: false);
        _converted = Bounded<ConvertedVideo>(options.OutputQueueCapacity, PipelineStage.Send, DropReason.OutputFull);
        _audioOut = Bounded<OutboundAudio>(options.AudioOutQueueCapacity, PipelineStage.AudioOut, DropReason.QueueFull);
        _render = new RenderSession(SessionId, portrait, options.PendingFrameCapacity, _rendered.Writer, _timeline.TryCreateIdle,
            () => _context.Epoch, _context.Drop);

        _registrations.Add(metrics.RegisterQueueDepths(QueueDepths));
        _registrations.Add(metrics.RegisterAvDelay(() =>
            [new Measurement<double>(_context.Clock.Delay.TotalMilliseconds, PipelineMetrics.SessionTag(SessionId))]));
        peer.KeyframeRequested += OnKeyframeRequested;
    }

    /// <summary>The peer's session id.</summary>
    public string SessionId { get; }

    /// <summary>Counters of this session.</summary>
    public PipelineSessionStats Stats => _context.Stats;

    /// <summary>Current delay of the outgoing voice (the measured video-path latency it matches).</summary>
    public TimeSpan AvDelay => _context.Clock.Delay;

    /// <summary>
    /// Completes when every stage has stopped: after disposal, or after a stage failed (logged). The end of the peer's
    /// audio does not stop the video: the face idles until the session is disposed.
    /// </summary>
    public Task Completion => _stages;

    internal RenderSession RenderSession => _render;

    internal SessionContext Context => _context;

    internal FrameTimeline Timeline => _timeline;

    /// <summary>Whether nothing in the session can progress until the clock moves (every queue drained, no stage busy).</summary>
    internal bool IsSettled =>
        _inbound.Reader.Count == 0 && _resampled.Reader.Count == 0 && _features.Reader.Count == 0 &&
        _rendered.Reader.Count == 0 && (_converted.Reader.Count == 0 || _context.Activity.IsExternal(PipelineStage.Send)) &&
        _context.Activity.IsSettled();

    /// <summary>Asks the scheduler to admit the session and, if it does, starts the stages.</summary>
    public AdmissionResult Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The pipeline session was already started or disposed.");
        }

        var admission = _scheduler.TryAdmit(_render);
        if (!admission.Admitted)
        {
            Log.NotAdmitted(_logger, SessionId, admission.Reason, admission.Message);
            return admission;
        }

        var gate = _gate;
        _stages = Task.WhenAll(
            Run(new InboundAudioStage(_context, _peer.InboundAudio, _inbound.Writer, _audioOut.Writer).RunAsync),
            Run(new ResampleStage(_context, _resampler, _inbound.Reader, _resampled.Writer).RunAsync),
            Run(new FeatureStage(_context, _frontEnd, gate, _resampled.Reader, _features.Writer).RunAsync),
            Run(new WindowStage(_context, _timeline, _features.Reader, _render).RunAsync),
            Run(new FrameConversionStage(_context, _outputSize, _rendered.Reader, _converted.Writer).RunAsync),
            Run(new VideoSendStage(_context, _peer, _converted.Reader, _start).RunAsync),
            Run(new AudioSendStage(_context, _peer, _audioOut.Reader).RunAsync));
        Log.Started(_logger, SessionId, _frontEnd.Name, _options.AudioWindowFrames, _options.LookaheadFeatureFrames);
        return admission;
    }

    /// <summary>
    /// Barge-in: empties every stage (queued audio, features, windows, frames waiting to render or to be sent; a batch
    /// already rendering is discarded when it returns) and answers with the position actually sent. It never waits for
    /// the renderer, and waits for an in-flight transport send at most <see cref="PipelineSessionOptions.FlushTimeout"/>.
    /// The session keeps running: audio after the flush drives the face again.
    /// </summary>
    public async Task<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        var started = _context.Now;
        _context.BeginFlush();
        _render.Clear();
        _timeline.Clear();
        Drain(_inbound.Reader, PipelineStage.Resample);
        Drain(_resampled.Reader, PipelineStage.Features);
        Drain(_features.Reader, PipelineStage.Window);
        Drain(_rendered.Reader, PipelineStage.Convert);
        Drain(_converted.Reader, PipelineStage.Send);
        Drain(_audioOut.Reader, PipelineStage.AudioOut);
        _context.LipSync.Reset();

        using var timeout = new CancellationTokenSource(_options.FlushTimeout, _context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        var haveVideo = false;
        var haveAudio = false;
        try
        {
            await _context.VideoSendGate.WaitAsync(linked.Token).ConfigureAwait(false);
            haveVideo = true;
            await _context.AudioSendGate.WaitAsync(linked.Token).ConfigureAwait(false);
            haveAudio = true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A transport send ignored cancellation: answer with what is known rather than hang (PRODUCT.md §4).
        }
        finally
        {
            // Read under the gates (when held): no send can move the positions between the two reads.
            _flushPositions = (_context.LastVideoSent, _context.LastAudioSentEnd);
            if (haveAudio)
            {
                _context.AudioSendGate.Release();
            }

            if (haveVideo)
            {
                _context.VideoSendGate.Release();
            }
        }

        var result = new FlushResult(_flushPositions.Video, _flushPositions.Audio, haveVideo && haveAudio,
            _context.Time.GetElapsedTime(started));
        Log.Flushed(_logger, SessionId, result.Elapsed.TotalMilliseconds, result.LastVideoTimestamp, result.AudioEnd, result.Complete);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        if (previous == 2)
        {
            return;
        }

        _peer.KeyframeRequested -= OnKeyframeRequested;
        _scheduler.Remove(_render);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _context.BeginFlush();
        var stopped = true;
        try
        {
            await _stages.WaitAsync(_options.FlushTimeout * 4, _context.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A transport call that ignores cancellation must not hold up teardown.
            stopped = false;
        }

        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        if (previous == 1)
        {
            Log.Stopped(_logger, SessionId, Stats.VideoFramesSent, Stats.AudioFramesSent);
        }

        if (stopped)
        {
            _lifetime.Dispose(); // a stage still inside the transport may yet read its token
        }
    }

    private Channel<T> Bounded<T>(int capacity, PipelineStage stage, DropReason reason, bool singleWriter = true) =>
        Channel.CreateBounded<T>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleWriter = singleWriter },
            _ => _context.Drop(stage, reason));

    private void Drain<T>(ChannelReader<T> reader, PipelineStage stage)
    {
        while (reader.TryRead(out _))
        {
            _context.Drop(stage, DropReason.Flushed);
        }
    }

    private IEnumerable<Measurement<int>> QueueDepths()
    {
        var session = PipelineMetrics.SessionTag(SessionId);
        yield return Depth(_inbound.Reader.Count, PipelineStage.Resample);
        yield return Depth(_resampled.Reader.Count, PipelineStage.Features);
        yield return Depth(_features.Reader.Count, PipelineStage.Window);
        yield return Depth(_render.PendingCount, PipelineStage.RenderQueue);
        yield return Depth(_rendered.Reader.Count, PipelineStage.Convert);
        yield return Depth(_converted.Reader.Count, PipelineStage.Send);
        yield return Depth(_audioOut.Reader.Count, PipelineStage.AudioOut);

        Measurement<int> Depth(int count, PipelineStage stage) =>
            new(count, session, new KeyValuePair<string, object?>("stage", PipelineMetrics.StageName(stage)));
    }

    private async Task Run(Func<Task> stage)
    {
        try
        {
            await stage().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.StageFailed(_logger, SessionId, exception);
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
    }

    private void OnKeyframeRequested() => Interlocked.Exchange(ref _context.KeyframeRequested, 1);

    private static int StableHash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and idle motion should be reproducible.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }

    private static void ThrowIfIncompatible(PipelineSessionOptions options, IAudioFrontEnd frontEnd, IAudioResampler resampler,
        ITalkingHeadRenderer renderer)
    {
        var errors = new List<string>(options.Validate());
        if (frontEnd.FramesPerSecond <= 0 || MediaClock.SampleRate % frontEnd.FramesPerSecond != 0)
        {
            errors.Add($"The front-end's {frontEnd.FramesPerSecond} frames/s do not divide the {MediaClock.SampleRate} Hz media clock.");
        }

        if (frontEnd.FeatureDim != renderer.AudioFeatureDim)
        {
            errors.Add($"The front-end makes {frontEnd.FeatureDim}-dim features; the renderer takes {renderer.AudioFeatureDim}.");
        }

        if (options.AudioWindowFrames != renderer.AudioWindowFrames)
        {
            errors.Add($"{nameof(PipelineSessionOptions.AudioWindowFrames)} is {options.AudioWindowFrames}; the renderer takes {renderer.AudioWindowFrames}.");
        }

        if (!ResampleStage.IsSupported(resampler) || resampler.OutputRate != 16_000)
        {
            errors.Add($"The resampler converts {resampler.InputRate} Hz to {resampler.OutputRate} Hz; the front-ends need 48 000 to 16 000.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException($"Cannot build the pipeline: {string.Join(" ", errors)}");
        }
    }
}
