using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>
/// The one render scheduler of a device, for every session (PRODUCT.md "One GPU scheduler for all sessions"). On each
/// frame tick (<see cref="RenderSchedulerOptions.FrameRate"/>, from the <see cref="TimeProvider"/>) it takes one due
/// frame from every session (different portraits in one batch), oldest deadline first and least recently served on a
/// tie when the batch is capped, picks a rung of the degradation ladder from the measured cost, and hands the batch to
/// a dedicated render thread that calls <see cref="ITalkingHeadRenderer.Render"/>. Results go to each session's output
/// queue without waiting, so a slow session loses only its own frames. Frames that cannot be rendered in time (render
/// thread still busy, last rung, renderer failure) still go out as repeats of the session's last image with their own
/// timestamps. <see cref="TryAdmit"/> refuses sessions that would break the budget.
/// <para>
/// With <see cref="RenderSchedulerOptions.DispatchWhenReady"/> a batch also starts, between ticks, the moment every
/// session has a frame waiting and the render thread is idle (and again when a batch finishes): a full batch gains
/// nothing by waiting for the tick, and a session's frame grid is not in phase with the tick, so the wait was up to
/// one frame interval of pure mouth-to-wire latency. The tick still serves whatever is due (idle frames, sessions
/// whose audio is late) and repeats frames the render thread cannot take.
/// </para>
/// </summary>
public sealed partial class RenderScheduler : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<RenderSession> _sessions = [];
    private readonly Channel<RenderWork> _batches;
    private readonly ITalkingHeadRenderer _renderer;
    private readonly RenderSchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly PipelineMetrics _metrics;
    private readonly ILogger _logger;
    private readonly RenderCostModel _cost;
    private readonly DegradationLadder _ladder;
    private readonly TaskCompletionSource _renderThreadDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _levelRegistration;
    private ITimer? _timer;
    private Thread? _renderThread;
    private bool _busy;
    private bool _disposed;
    private long _tick;
    private long _dispatches;
    private long _earlyDispatches;
    private Calibration? _waitingCalibration;

    public RenderScheduler(ITalkingHeadRenderer renderer, RenderSchedulerOptions options, TimeProvider timeProvider,
        PipelineMetrics metrics, ILogger<RenderScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        options.ThrowIfInvalid();
        _renderer = renderer;
        _options = options;
        _time = timeProvider;
        _metrics = metrics;
        _logger = logger;
        _cost = new RenderCostModel(options.MaxBatchSize, options.CostSmoothing, options.UnmeasuredRungCostRatio);
        _ladder = new DegradationLadder(options.RenderBudget, options.RecoveryFraction, options.RecoveryTicks, options.RepeatProbeTicks,
            options.ClimbBackoffTicks);
        // The tick (under the lock, one batch at a time) writes; the render thread reads.
        _batches = Channel.CreateBounded<RenderWork>(new BoundedChannelOptions(1)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _levelRegistration = metrics.RegisterDegradationLevel(() => (int)Level);
    }

    /// <summary>The renderer, for encoding portraits.</summary>
    public ITalkingHeadRenderer Renderer => _renderer;

    /// <summary>Settings.</summary>
    public RenderSchedulerOptions Options => _options;

    /// <summary>Current rung of the degradation ladder.</summary>
    public DegradationLevel Level
    {
        get
        {
            lock (_gate)
            {
                return _ladder.Level;
            }
        }
    }

    /// <summary>Sessions admitted.</summary>
    public int SessionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>Ticks run so far.</summary>
    public long Ticks => Interlocked.Read(ref _tick);

    /// <summary>Batches started between ticks because every session had a frame ready (<see cref="RenderSchedulerOptions.DispatchWhenReady"/>).</summary>
    public long EarlyDispatches => Interlocked.Read(ref _earlyDispatches);

    /// <summary>Whether a batch is being rendered or delivered.</summary>
    internal bool IsRendering
    {
        get
        {
            lock (_gate)
            {
                return _busy;
            }
        }
    }

    internal DegradationLadder Ladder => _ladder;

    internal RenderCostModel CostModel => _cost;

    /// <summary>Starts the render thread and the frame tick.</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Admitting a session starts the render thread, so the tick, not the thread, says whether Start ran.
            if (_timer is not null)
            {
                return;
            }

            StartRenderThread();
            _timer = _time.CreateTimer(_ => OnTimer(), null, _options.FrameInterval, _options.FrameInterval);
        }
    }

    /// <summary>Whether one more session would be admitted now, and why not.</summary>
    public AdmissionResult CheckAdmission()
    {
        lock (_gate)
        {
            return CheckAdmissionLocked(null);
        }
    }

    /// <summary>Admits a session if it fits the limits and the measured budget.</summary>
    internal AdmissionResult TryAdmit(RenderSession session)
    {
        AdmissionResult result;
        lock (_gate)
        {
            result = CheckAdmissionLocked(session.SessionId);
            if (result.Admitted)
            {
                _sessions.Add(session);
                session.FrameSubmitted = OnFrameSubmitted;
                StartRenderThread();
            }
        }

        if (result.Admitted)
        {
            Log.SessionAdmitted(_logger, session.SessionId, result.Message);
        }
        else
        {
            _metrics.RecordAdmissionRefusal(result.Reason.ToString());
            Log.SessionRefused(_logger, session.SessionId, result.Reason, result.Message);
        }

        return result;
    }

    /// <summary>Stops scheduling a session.</summary>
    internal void Remove(RenderSession session)
    {
        lock (_gate)
        {
            _sessions.Remove(session);
            session.FrameSubmitted = null;
        }

        // The sessions left may all have a frame waiting for the one that went.
        TryDispatchReady();
    }

    /// <summary>
    /// Measures every rung on the render thread with <paramref name="portrait"/> (a batch of one silent frame per rung,
    /// cheapest first, after one unmeasured warm-up render each) and feeds the cost model, so the ladder starts on the
    /// rung that fits the budget instead of walking down from Full through missed frames, and admission answers from
    /// figures. Waits for a batch in flight; ticks meanwhile repeat frames. Returns the measured milliseconds per rung.
    /// Call it once the model is loaded (a server: after <see cref="Start"/>, with any portrait encoding): admission of
    /// a second session then answers from the figures at <see cref="RenderSchedulerOptions.AdmissionQuality"/> (on a CPU,
    /// where Full does not fit, set it to the rung that does); the first session is always admitted.
    /// </summary>
    public async Task<IReadOnlyDictionary<RenderQuality, double>> CalibrateAsync(IPortraitEncoding portrait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(portrait);
        var calibration = new Calibration(portrait);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            StartRenderThread();
            if (_busy || _waitingCalibration is not null)
            {
                // Runs when the render thread is next free (see Release).
                _waitingCalibration = _waitingCalibration is null ? calibration : throw new InvalidOperationException("A calibration is already waiting.");
            }
            else
            {
                _busy = true;
                _batches.Writer.TryWrite(calibration);
            }
        }

        await calibration.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return calibration.Result;
    }

    /// <summary>
    /// One frame tick. Returns a task that completes once this tick's batch (if any) is rendered and delivered;
    /// the timer ignores it, tests await it.
    /// </summary>
    internal Task TickAsync()
    {
        RenderBatch? batch;
        List<(RenderSession Session, PendingFrame Frame, DropReason Reason)> repeats;
        lock (_gate)
        {
            if (_disposed)
            {
                return Task.CompletedTask;
            }

            Interlocked.Increment(ref _tick);
            (batch, repeats) = DispatchLocked(_time.GetTimestamp());
        }

        foreach (var (session, frame, reason) in repeats)
        {
            session.Repeat(frame, reason);
        }

        return batch?.Done.Task ?? Task.CompletedTask;
    }

    /// <summary>
    /// Starts a batch now if the scheduler runs, the render thread is idle and every session has a frame waiting
    /// (<see cref="RenderSchedulerOptions.DispatchWhenReady"/>). Returns the batch's completion, or null when none started.
    /// </summary>
    internal Task? TryDispatchReady()
    {
        RenderBatch? batch;
        List<(RenderSession Session, PendingFrame Frame, DropReason Reason)> repeats;
        lock (_gate)
        {
            if (!_options.DispatchWhenReady || _disposed || _timer is null || _busy || _sessions.Count == 0)
            {
                return null;
            }

            foreach (var session in _sessions)
            {
                if (!session.TryPeekQueued(out _))
                {
                    return null;
                }
            }

            (batch, repeats) = DispatchLocked(_time.GetTimestamp());
            if (batch is not null)
            {
                Interlocked.Increment(ref _earlyDispatches);
            }
        }

        foreach (var (session, frame, reason) in repeats)
        {
            session.Repeat(frame, reason);
        }

        return batch?.Done.Task;
    }

    private (RenderBatch? Batch, List<(RenderSession Session, PendingFrame Frame, DropReason Reason)> Repeats) DispatchLocked(long now)
    {
        RenderBatch? batch = null;
        var repeats = new List<(RenderSession Session, PendingFrame Frame, DropReason Reason)>();
        var dispatch = ++_dispatches;
        var due = new List<(RenderSession Session, PendingFrame Frame)>();
        foreach (var session in _sessions)
        {
            if (session.TryPeekDue(now, out var frame))
            {
                due.Add((session, frame));
            }
        }

        if (_busy)
        {
            // The previous batch overran its tick: render nothing new, but every session's frame still goes out.
            foreach (var (session, frame) in due)
            {
                repeats.Add((session, session.Take(frame), DropReason.RenderOverrun));
            }

            return (null, repeats);
        }

        // Earliest deadline first; on equal deadlines the session served longest ago (round-robin).
        due.Sort(static (a, b) => a.Frame.Deadline != b.Frame.Deadline
            ? a.Frame.Deadline.CompareTo(b.Frame.Deadline)
            : a.Session.LastServedTick.CompareTo(b.Session.LastServedTick));
        var size = Math.Min(due.Count, _options.MaxBatchSize);
        var previous = _ladder.Level;
        var level = _ladder.Decide(size, _cost);
        if (level != previous)
        {
            Log.LevelChanged(_logger, previous, level, _cost.Predict(previous, size), size);
        }

        if (level == DegradationLevel.RepeatLastFrame)
        {
            // A session that has never had an image has nothing to repeat: its frame renders on the cheapest rung.
            List<(RenderSession Session, PendingFrame Frame)>? first = null;
            foreach (var (session, frame) in due)
            {
                if (session.RenderedCount == 0 && (first?.Count ?? 0) < _options.MaxBatchSize)
                {
                    (first ??= []).Add((session, session.Take(frame)));
                    session.LastServedTick = dispatch;
                }
                else
                {
                    repeats.Add((session, session.Take(frame), DropReason.Degraded));
                }
            }

            if (first is not null)
            {
                batch = new RenderBatch(first, DegradationLevel.LowResolution);
                _busy = true;
                _batches.Writer.TryWrite(batch);
            }
        }
        else if (size > 0)
        {
            var items = new List<(RenderSession Session, PendingFrame Frame)>(size);
            foreach (var (session, frame) in due.Take(size))
            {
                items.Add((session, session.Take(frame)));
                session.LastServedTick = dispatch;
            }

            // Spare room goes to sessions with a backlog (an audio burst), as long as the batch still fits.
            foreach (var (session, _) in due.Take(size))
            {
                while (items.Count < _options.MaxBatchSize && session.TryPeekQueued(out var extra) &&
                       _cost.Predict(level, items.Count + 1) <= _options.RenderBudget.TotalMilliseconds)
                {
                    items.Add((session, session.Take(extra)));
                }
            }

            batch = new RenderBatch(items, level) { Probe = _ladder.IsProbing };
            _busy = true;
            _batches.Writer.TryWrite(batch);
        }

        return (batch, repeats);
    }

    public async ValueTask DisposeAsync()
    {
        Thread? thread;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            thread = _renderThread;
            _batches.Writer.TryComplete();
            _waitingCalibration?.Done.TrySetException(new ObjectDisposedException(nameof(RenderScheduler)));
            _waitingCalibration = null;
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        if (thread is not null)
        {
            try
            {
                await _renderThreadDone.Task.WaitAsync(_options.ShutdownTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Log.RenderThreadStuck(_logger, _options.ShutdownTimeout);
            }
        }

        _levelRegistration.Dispose();
    }

    private AdmissionResult CheckAdmissionLocked(string? sessionId)
    {
        if (_disposed)
        {
            return new(AdmissionRefusalReason.ShuttingDown, "The render scheduler is shutting down.");
        }

        if (sessionId is not null && _sessions.Any(s => s.SessionId == sessionId))
        {
            return new(AdmissionRefusalReason.DuplicateSession, $"Session {sessionId} is already rendering.");
        }

        var count = _sessions.Count + 1;
        if (count > _options.MaxSessions)
        {
            return new(AdmissionRefusalReason.SessionLimit,
                $"{_sessions.Count} sessions are rendering, the most allowed ({nameof(RenderSchedulerOptions.MaxSessions)}).");
        }

        if (count > _options.MaxBatchSize)
        {
            return new(AdmissionRefusalReason.BatchCapacity,
                $"{count} frames per tick would not fit a batch of {_options.MaxBatchSize} ({nameof(RenderSchedulerOptions.MaxBatchSize)}).");
        }

        var level = (DegradationLevel)(int)_options.AdmissionQuality;
        var predicted = _cost.Predict(level, count);
        var budget = _options.RenderBudget.TotalMilliseconds;
        if (_sessions.Count == 0)
        {
            // Nobody to push down the ladder; and refusing on figures that only renders refresh could refuse for ever
            // (after a calibration under a passing load, or on a device whose Full rung never fits, as a CPU).
            return new(AdmissionRefusalReason.None,
                $"No other session is rendering; a frame at {_options.AdmissionQuality} is measured at {predicted:F1} ms of the {budget:F1} ms budget.");
        }

        if (predicted > budget)
        {
            return new(AdmissionRefusalReason.OverBudget,
                $"A batch of {count} at {_options.AdmissionQuality} is measured at {predicted:F1} ms, over the {budget:F1} ms budget.");
        }

        return new(AdmissionRefusalReason.None,
            $"A batch of {count} at {_options.AdmissionQuality} is measured at {predicted:F1} ms of the {budget:F1} ms budget.");
    }

    private void StartRenderThread()
    {
        if (_renderThread is not null)
        {
            return;
        }

        // One thread owns the renderer: GPU work of a device is serialised there, never on the timer or pool threads.
        _renderThread = new Thread(RenderLoop) { IsBackground = true, Name = "RealtimeHead render" };
        _renderThread.Start();
    }

    private void OnFrameSubmitted() => TryDispatchReady();

    private void OnTimer()
    {
        try
        {
            _ = TickAsync();
        }
        catch (Exception exception)
        {
            Log.TickFailed(_logger, exception);
        }
    }

    private void RenderLoop()
    {
        try
        {
            var reader = _batches.Reader;
            while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var work))
                {
                    if (work is RenderBatch batch)
                    {
                        Render(batch);
                    }
                    else if (work is Calibration calibration)
                    {
                        Calibrate(calibration);
                    }
                }
            }
        }
        finally
        {
            _renderThreadDone.TrySetResult();
        }
    }

    private void Render(RenderBatch batch)
    {
        var quality = batch.Level.ToQuality();
        var requests = new RenderRequest[batch.Items.Count];
        for (var i = 0; i < requests.Length; i++)
        {
            var (session, frame) = batch.Items[i];
            requests[i] = new RenderRequest(session.Portrait, frame.Window, frame.Pose, quality);
        }

        var start = _time.GetTimestamp();
        IReadOnlyList<RenderedFrame>? results = null;
        try
        {
            results = _renderer.Render(requests);
            if (results.Count != requests.Length)
            {
                throw new InvalidOperationException($"The renderer returned {results.Count} frames for {requests.Length} requests.");
            }
        }
        catch (Exception exception)
        {
            results = null;
            Log.RenderFailed(_logger, requests.Length, exception);
        }

        var end = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(start, end);
        var missed = elapsed > _options.RenderBudget;
        lock (_gate)
        {
            if (results is not null)
            {
                _cost.Observe(batch.Level, requests.Length, elapsed.TotalMilliseconds, replace: batch.Probe);
            }

            if (missed)
            {
                _ladder.ObserveMiss(batch.Level);
            }
        }

        _metrics.RecordBatch(requests.Length, batch.Level.TagName(), elapsed, missed);
        for (var i = 0; i < requests.Length; i++)
        {
            var (session, frame) = batch.Items[i];
            frame.Timings.RenderStarted = start;
            frame.Timings.RenderEnded = end;
            if (results is null)
            {
                session.Repeat(frame, DropReason.RenderFailed);
            }
            else
            {
                session.Deliver(frame, results[i]);
            }
        }

        // Not busy until delivered: a tick meanwhile repeats instead of racing this batch's frames.
        Release();
        batch.Done.TrySetResult();

        // Frames that became ready while this batch rendered need not wait for the tick.
        TryDispatchReady();
    }

    private void Calibrate(Calibration calibration)
    {
        var window = new float[_renderer.AudioWindowFrames * _renderer.AudioFeatureDim];
        var result = new Dictionary<RenderQuality, double>();
        try
        {
            // Cheapest rung first: if the device is already slow, the ladder learns the cheap figures before the dear ones.
            foreach (var level in new[] { DegradationLevel.LowResolution, DegradationLevel.NoSuperResolution, DegradationLevel.Full })
            {
                RenderRequest[] request = [new(calibration.Portrait, window, HeadPose.Frontal, level.ToQuality())];
                _renderer.Render(request); // the first render of a shape allocates: not a figure
                var start = _time.GetTimestamp();
                _renderer.Render(request);
                var elapsed = _time.GetElapsedTime(start).TotalMilliseconds;
                result[level.ToQuality()] = elapsed;
                lock (_gate)
                {
                    _cost.Observe(level, 1, elapsed);
                }
            }

            lock (_gate)
            {
                _ladder.Calibrate(1, _cost);
            }

            Log.Calibrated(_logger, result.GetValueOrDefault(RenderQuality.Full), result.GetValueOrDefault(RenderQuality.NoSuperResolution),
                result.GetValueOrDefault(RenderQuality.LowResolution), Level);
            calibration.Result = result;
            Release();
            calibration.Done.TrySetResult();
        }
        catch (Exception exception)
        {
            Release();
            calibration.Done.TrySetException(exception);
        }

        TryDispatchReady();
    }

    /// <summary>The render thread is free: a calibration waiting for it goes next, else the next tick or ready batch.</summary>
    private void Release()
    {
        lock (_gate)
        {
            if (_waitingCalibration is { } waiting && !_disposed)
            {
                _waitingCalibration = null;
                _batches.Writer.TryWrite(waiting);
                return;
            }

            _busy = false;
        }
    }

    private abstract record RenderWork;

    private sealed record RenderBatch(List<(RenderSession Session, PendingFrame Frame)> Items, DegradationLevel Level) : RenderWork
    {
        /// <summary>The first batch after the last rung: its figure replaces the stale one.</summary>
        public bool Probe { get; init; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record Calibration(IPortraitEncoding Portrait) : RenderWork
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyDictionary<RenderQuality, double> Result { get; set; } = new Dictionary<RenderQuality, double>();
    }
}
