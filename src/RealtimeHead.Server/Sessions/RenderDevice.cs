using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Rendering;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Sessions;

/// <summary>
/// One render device (Model:Device): the renderer singleton and the one <see cref="RenderScheduler"/> that batches the
/// frames of every session on it. Started by the server's startup service; readiness reports <see cref="IsRunning"/>.
/// </summary>
internal sealed class RenderDevice : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private bool _running;
    private bool _disposed;

    public RenderDevice(ITalkingHeadRenderer renderer, IOptions<RealtimeHeadOptions> options, TimeProvider time, PipelineMetrics metrics,
        ILogger<RenderScheduler> logger)
    {
        var model = options.Value.Model;
        Renderer = renderer;
        Name = model.Device.ToLowerInvariant();
        Scheduler = new RenderScheduler(renderer, new RenderSchedulerOptions
        {
            FrameRate = model.FrameRate,
            MaxSessions = options.Value.Limits.MaxSessions,
            AdmissionQuality = model.AdmissionQuality ?? DefaultAdmissionQuality(Name),
        }, time, metrics, logger);
    }

    /// <summary>Full where the model is meant to run (cuda); LowResolution on cpu, where Full does not fit the budget.</summary>
    internal static RenderQuality DefaultAdmissionQuality(string device) =>
        device.StartsWith("cuda", StringComparison.Ordinal) ? RenderQuality.Full : RenderQuality.LowResolution;

    /// <summary>The device name (cpu, cuda:0 ...).</summary>
    public string Name { get; }

    public ITalkingHeadRenderer Renderer { get; }

    public RenderScheduler Scheduler { get; }

    /// <summary>Whether the scheduler's render thread and tick are running.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running && !_disposed;
            }
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Scheduler.Start();
            _running = true;
        }
    }

    /// <summary>
    /// Measures every quality rung once on the render thread, so the ladder starts on the rung that fits and admission
    /// judges the second session on measured costs instead of walking down from Full through late frames.
    /// </summary>
    public Task<IReadOnlyDictionary<RenderQuality, double>> CalibrateAsync(IPortraitEncoding portrait, CancellationToken cancellationToken) =>
        Scheduler.CalibrateAsync(portrait, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await Scheduler.DisposeAsync().ConfigureAwait(false);
    }
}
