namespace RealtimeHead.Codecs.Vp8;

/// <summary>
/// Settings of a <see cref="Vp8Encoder"/>, tuned for real-time conversation: one-pass CBR, no lookahead,
/// error-resilient, realtime deadline. Defaults follow what libwebrtc's VP8 wrapper uses.
/// </summary>
public sealed record Vp8EncoderOptions
{
    /// <summary>Frame width in pixels, 2..16383 (VP8 stores 14 bits, RFC 6386 §9.1). Required.</summary>
    public required int Width { get; init; }

    /// <summary>Frame height in pixels, 2..16383. Required.</summary>
    public required int Height { get; init; }

    /// <summary>Target bitrate in kbit/s, 30..50 000. Default 1000.</summary>
    public int TargetBitrateKbps { get; init; } = 1000;

    /// <summary>
    /// Nominal frame rate, 1..120. Default 25. Gives each frame's duration; the rate controller then
    /// follows the actual frame timestamps.
    /// </summary>
    public int FramesPerSecond { get; init; } = 25;

    /// <summary>
    /// Maximum frames between keyframes, 1..100 000. Default 3000 (as libwebrtc): keyframes normally come
    /// on demand, when the receiver sends PLI/FIR.
    /// </summary>
    public int KeyframeMaxDistance { get; init; } = 3000;

    /// <summary>
    /// VP8E_SET_CPUUSED, -16..16. Default -6. Negative fixes the speed at its magnitude; positive lets
    /// libvpx pick the speed from the time left before the realtime deadline (less deterministic).
    /// Higher magnitude is faster with lower quality.
    /// </summary>
    public int CpuUsed { get; init; } = -6;

    /// <summary>Encoder threads, 1..16. Default 1 (frames of a talking head are small; threads split rows).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Error-resilient mode: frames do not depend on probability contexts of earlier frames, so a loss only
    /// hurts until the next reference refresh. Default true.
    /// </summary>
    public bool ErrorResilient { get; init; } = true;

    /// <summary>Best quantizer the rate controller may pick, 0..63. Default 2.</summary>
    public int MinQuantizer { get; init; } = 2;

    /// <summary>Worst quantizer the rate controller may pick, 0..63 and ≥ <see cref="MinQuantizer"/>. Default 56.</summary>
    public int MaxQuantizer { get; init; } = 56;

    /// <summary>
    /// Buffer level (percent of the buffer) below which the encoder drops frames to hold the bitrate, 0..100.
    /// Default 0: never drop; the caller paces frames instead.
    /// </summary>
    public int DropFrameThreshold { get; init; }

    /// <summary>Every problem with these options, each saying what to change; empty when valid.</summary>
    public IReadOnlyList<string> GetErrors()
    {
        var errors = new List<string>();
        Range(errors, nameof(Width), Width, 2, 16383);
        Range(errors, nameof(Height), Height, 2, 16383);
        Range(errors, nameof(TargetBitrateKbps), TargetBitrateKbps, 30, 50_000);
        Range(errors, nameof(FramesPerSecond), FramesPerSecond, 1, 120);
        Range(errors, nameof(KeyframeMaxDistance), KeyframeMaxDistance, 1, 100_000);
        Range(errors, nameof(CpuUsed), CpuUsed, -16, 16);
        Range(errors, nameof(Threads), Threads, 1, 16);
        Range(errors, nameof(MinQuantizer), MinQuantizer, 0, 63);
        Range(errors, nameof(MaxQuantizer), MaxQuantizer, 0, 63);
        Range(errors, nameof(DropFrameThreshold), DropFrameThreshold, 0, 100);
        if (MinQuantizer > MaxQuantizer)
        {
            errors.Add($"{nameof(MinQuantizer)} ({MinQuantizer}) is above {nameof(MaxQuantizer)} ({MaxQuantizer}); lower it.");
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem at once.</summary>
    public void Validate()
    {
        var errors = GetErrors();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid VP8 encoder options: " + string.Join(" ", errors));
        }
    }

    private static void Range(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} is {value}; use {min}..{max}.");
        }
    }
}
