using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Signalling;

/// <summary>
/// Pushes each running session's figures (<see cref="SessionStatsMessage"/>) to its client every
/// <c>Web:StatsInterval</c>, from the session's <see cref="PipelineSessionStats"/>, the render device's ladder and the
/// mouth-to-wire window. Only sessions with a media path (after Offer) get messages. A failed send is logged and the
/// next tick tries again.
/// </summary>
internal sealed partial class SessionStatsBroadcaster : BackgroundService
{
    private readonly IHubContext<SessionHub, ISessionClient> _hub;
    private readonly SessionConnections _connections;
    private readonly SessionManager _sessions;
    private readonly RenderDevice _device;
    private readonly MouthToWireWindow _mouthToWire;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly ILogger<SessionStatsBroadcaster> _logger;
    private readonly Dictionary<string, (long Frames, long Timestamp)> _previous = new(StringComparer.Ordinal);

    public SessionStatsBroadcaster(IHubContext<SessionHub, ISessionClient> hub, SessionConnections connections, SessionManager sessions,
        RenderDevice device, MouthToWireWindow mouthToWire, IOptions<RealtimeHeadOptions> options, TimeProvider time,
        ILogger<SessionStatsBroadcaster> logger)
    {
        _hub = hub;
        _connections = connections;
        _sessions = sessions;
        _device = device;
        _mouthToWire = mouthToWire;
        _time = time;
        _interval = options.Value.Web.StatsInterval;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await PublishAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One round: a message to every connection whose session has a pipeline. Returns how many were sent.</summary>
    internal async Task<int> PublishAsync(CancellationToken cancellationToken = default)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        var sent = 0;
        foreach (var connectionId in _connections.Snapshot())
        {
            var session = _sessions.Find(connectionId);
            if (session is not { Pipeline: { } pipeline } || session.IsDisposed)
            {
                continue;
            }

            // The pipeline's metrics are tagged with its own id (the peer's), not the hub session's.
            live.Add(pipeline.SessionId);
            var message = Describe(session.SessionId, pipeline.SessionId, pipeline.Stats);
            try
            {
                await _hub.Clients.Client(connectionId).Stats(message).WaitAsync(cancellationToken).ConfigureAwait(false);
                sent++;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                Log.SendFailed(_logger, session.SessionId, exception);
            }
        }

        foreach (var ended in _previous.Keys.Where(id => !live.Contains(id)).ToList())
        {
            _previous.Remove(ended);
        }

        _mouthToWire.Retain(live);
        return sent;
    }

    /// <summary>
    /// The message for one session now; the fps is the frame count's rate since the previous call for the same
    /// <paramref name="pipelineId"/> (the id the pipeline tags its metrics with).
    /// </summary>
    internal SessionStatsMessage Describe(string sessionId, string pipelineId, PipelineSessionStats stats)
    {
        var frames = stats.VideoFramesSent;
        var now = _time.GetTimestamp();
        double? fps = null;
        if (_previous.TryGetValue(pipelineId, out var previous))
        {
            var seconds = _time.GetElapsedTime(previous.Timestamp, now).TotalSeconds;
            fps = seconds > 0 ? Math.Round((frames - previous.Frames) / seconds, 2) : null;
        }

        _previous[pipelineId] = (frames, now);
        var (p50, p95) = _mouthToWire.Percentiles(pipelineId);
        var level = _device.Scheduler.Level;
        return new SessionStatsMessage(
            sessionId,
            fps,
            frames,
            stats.Frames(FrameKind.Repeated),
            stats.Frames(FrameKind.Idle),
            stats.LateFrames,
            p50,
            p95,
            stats.LipOffsetSamples > 0 ? stats.LastLipOffsetMs : null,
            stats.AvDelayMs,
            (int)level,
            LevelName(level),
            stats.FirstFrameMs);
    }

    internal static string LevelName(DegradationLevel level) => level switch
    {
        DegradationLevel.Full => "full",
        DegradationLevel.NoSuperResolution => "no_super_resolution",
        DegradationLevel.LowResolution => "low_resolution",
        _ => "repeat_last_frame",
    };
}
