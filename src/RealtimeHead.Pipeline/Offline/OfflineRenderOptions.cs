using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Offline;

/// <summary>Settings of an <see cref="OfflinePipelineRunner"/> run.</summary>
public sealed record OfflineRenderOptions
{
    /// <summary>Settings of the pipeline session. Default: the server's defaults.</summary>
    public PipelineSessionOptions Session { get; init; } = new();

    /// <summary>Settings of the scheduler the run creates. Default: the server's defaults (25 fps).</summary>
    public RenderSchedulerOptions Scheduler { get; init; } = new();

    /// <summary>Session id carried in logs and metrics. Default "offline".</summary>
    public string SessionId { get; init; } = "offline";

    /// <summary>
    /// Pose added to every frame's pose (the idle motion rides on it), in radians. Default frontal. Each angle must be
    /// within ±<see cref="MaxPoseRadians"/>.
    /// </summary>
    public HeadPose BasePose { get; init; } = HeadPose.Frontal;

    /// <summary>Samples per inbound audio frame (WebRTC delivers 20 ms = 960). Default 960; range 48-48 000.</summary>
    public int InboundFrameSamples { get; init; } = 960;

    /// <summary>
    /// Real time one step may take to settle (a batch rendering, a stage working) before the run is declared stuck.
    /// Default 5 min; range 1 s-1 h.
    /// </summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest |yaw|, |pitch|, |roll| of <see cref="BasePose"/>: 60° (the model sees a frontal portrait).</summary>
    public const float MaxPoseRadians = MathF.PI / 3;

    /// <summary>Lists every problem; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        errors.AddRange(Session.Validate());
        errors.AddRange(Scheduler.Validate());
        if (string.IsNullOrWhiteSpace(SessionId))
        {
            errors.Add($"{nameof(SessionId)} is empty.");
        }

        foreach (var (name, value) in new[] { ("yaw", BasePose.Yaw), ("pitch", BasePose.Pitch), ("roll", BasePose.Roll) })
        {
            if (!float.IsFinite(value) || MathF.Abs(value) > MaxPoseRadians)
            {
                errors.Add($"{nameof(BasePose)} {name} is {value * 180 / MathF.PI:0.##}°; use -60° to 60°.");
            }
        }

        if (InboundFrameSamples is < 48 or > 48_000)
        {
            errors.Add($"{nameof(InboundFrameSamples)} is {InboundFrameSamples}; use 48-48 000 (default 960).");
        }

        if (SettleTimeout < TimeSpan.FromSeconds(1) || SettleTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{nameof(SettleTimeout)} is {SettleTimeout}; use 1 s-1 h (default 5 min).");
        }

        return errors;
    }
}
