using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>Rungs of the degradation ladder, best first; the first three map to <see cref="RenderQuality"/>.</summary>
public enum DegradationLevel
{
    /// <summary>Full render with super-resolution.</summary>
    Full = 0,

    /// <summary>No super-resolution.</summary>
    NoSuperResolution = 1,

    /// <summary>Lower render resolution.</summary>
    LowResolution = 2,

    /// <summary>Nothing rendered: every session repeats its last image with the new frame's timestamp.</summary>
    RepeatLastFrame = 3,
}

internal static class DegradationLevelExtensions
{
    public static RenderQuality ToQuality(this DegradationLevel level) => level switch
    {
        DegradationLevel.Full => RenderQuality.Full,
        DegradationLevel.NoSuperResolution => RenderQuality.NoSuperResolution,
        DegradationLevel.LowResolution => RenderQuality.LowResolution,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Nothing is rendered on the last rung."),
    };

    public static string TagName(this DegradationLevel level) => level switch
    {
        DegradationLevel.Full => "full",
        DegradationLevel.NoSuperResolution => "no_super_resolution",
        DegradationLevel.LowResolution => "low_resolution",
        _ => "repeat_last_frame",
    };
}
