namespace RealtimeHead.Pipeline;

/// <summary>Settings of one <see cref="PipelineSession"/>. Frame rate comes from the scheduler.</summary>
public sealed record PipelineSessionOptions
{
    /// <summary>Feature frames per audio window (ER-NeRF: 16 = 320 ms at 50 frames/s). Default 16; range 2-64, even.</summary>
    public int AudioWindowFrames { get; init; } = 16;

    /// <summary>
    /// Feature frames after a video frame's centre that must arrive before it renders; the rest of the window's right
    /// half is edge-padded. Each frame adds 20 ms of mouth-to-wire latency. Default 4 (80 ms, Ditto's online lookahead);
    /// range 0 to half the window.
    /// </summary>
    public int LookaheadFeatureFrames { get; init; } = 4;

    /// <summary>Neighbouring windows on each side averaged into a frame's window (ER-NeRF-style smoothing). Default 1; range 0-4.</summary>
    public int SmoothingRadius { get; init; } = 1;

    /// <summary>Speech probability at or above which a voice-activity window is speech. Default 0.5; range 0.05-0.95.</summary>
    public float VoiceThreshold { get; init; } = 0.5f;

    /// <summary>RMS level at or above which audio is speech when no voice-activity detector is given. Default −45 dBFS; range −100 to 0.</summary>
    public double EnergyThresholdDbfs { get; init; } = -45;

    /// <summary>How long after speech the mouth still follows the audio (no snapping shut in short pauses). Default 200 ms; range 0-2 s.</summary>
    public TimeSpan VoiceHangover { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long before detected speech the mouth already follows the audio (onsets). Default 40 ms; range 0-500 ms.</summary>
    public TimeSpan VoicePreroll { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Peak idle head yaw (pitch 0.7 and roll 0.4 of it). Default 2.5°; range 0-15°.</summary>
    public double IdleMotionDegrees { get; init; } = 2.5;

    /// <summary>Seed of the idle motion; null derives it from the session id. Default null.</summary>
    public int? IdleMotionSeed { get; init; }

    /// <summary>
    /// How long past the moment a frame's audio should have been complete the pipeline waits before rendering the frame
    /// idle (no audio is coming: the remote is muted or the bot is silent). Default 100 ms; range 0-2 s.
    /// </summary>
    public TimeSpan StarvationGrace { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Delay of the outgoing voice before any video latency is measured. Default 200 ms; range within
    /// <see cref="MinAvDelay"/>-<see cref="MaxAvDelay"/>.
    /// </summary>
    public TimeSpan InitialAvDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Smallest delay of the outgoing voice. Default 0; range 0-5 s.</summary>
    public TimeSpan MinAvDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Largest delay of the outgoing voice; video slower than this is sent late (counted). Default 1 s; range 0-5 s.</summary>
    public TimeSpan MaxAvDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Margin added to the worst recent video latency. Default 5 ms; range 0-200 ms.</summary>
    public TimeSpan AvDelayMargin { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Frames of video latency the delay follows (their maximum). Default 50 (2 s); range 1-1000.</summary>
    public int AvDelayWindowFrames { get; init; } = 50;

    /// <summary>
    /// Most the delay may shrink per video frame. The voice is never cut: a shrinking delay only sends the queued audio
    /// a little faster than real time (4 ms per 40 ms frame: 10 % faster, which the receiver's jitter buffer absorbs
    /// like network jitter), and the delay reaches the measured latency within a second of the video path getting
    /// faster (the start, a calibrated ladder, a spike that left the 2 s window) instead of 25 ms per second.
    /// Default 4 ms; range 0-40 ms.
    /// </summary>
    public TimeSpan AvDelayDecayPerFrame { get; init; } = TimeSpan.FromMilliseconds(4);

    /// <summary>Inbound audio frames waiting for the resampler. Default 64 (1.3 s of 20 ms frames); range 2-4096.</summary>
    public int InboundQueueCapacity { get; init; } = 64;

    /// <summary>16 kHz blocks waiting for the front-end, and feature blocks waiting for windowing. Default 64; range 2-4096.</summary>
    public int FeatureQueueCapacity { get; init; } = 64;

    /// <summary>Ready frames waiting for a render tick (older ones go out as repeats). Default 3; range 1-64.</summary>
    public int PendingFrameCapacity { get; init; } = 3;

    /// <summary>Rendered frames waiting for conversion and sending (a slow transport drops its own oldest). Default 4; range 1-64.</summary>
    public int OutputQueueCapacity { get; init; } = 4;

    /// <summary>Outgoing voice frames held for the A/V delay; must cover <see cref="MaxAvDelay"/>. Default 128; range 2-8192.</summary>
    public int AudioOutQueueCapacity { get; init; } = 128;

    /// <summary>How long a barge-in flush waits for an in-flight send before answering anyway. Default 250 ms; range 1 ms-10 s.</summary>
    public TimeSpan FlushTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Lists every problem; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (AudioWindowFrames is < 2 or > 64 || AudioWindowFrames % 2 != 0)
        {
            errors.Add($"{nameof(AudioWindowFrames)} is {AudioWindowFrames}; use an even number 2-64 (default 16).");
        }

        if (LookaheadFeatureFrames < 0 || LookaheadFeatureFrames > AudioWindowFrames / 2)
        {
            errors.Add($"{nameof(LookaheadFeatureFrames)} is {LookaheadFeatureFrames}; use 0 to half the window ({AudioWindowFrames / 2}) (default 4).");
        }

        if (SmoothingRadius is < 0 or > 4)
        {
            errors.Add($"{nameof(SmoothingRadius)} is {SmoothingRadius}; use 0-4 (default 1).");
        }

        if (float.IsNaN(VoiceThreshold) || VoiceThreshold is < 0.05f or > 0.95f)
        {
            errors.Add($"{nameof(VoiceThreshold)} is {VoiceThreshold}; use 0.05-0.95 (default 0.5).");
        }

        if (double.IsNaN(EnergyThresholdDbfs) || EnergyThresholdDbfs is < -100 or > 0)
        {
            errors.Add($"{nameof(EnergyThresholdDbfs)} is {EnergyThresholdDbfs}; use -100 to 0 dBFS (default -45).");
        }

        Range(errors, nameof(VoiceHangover), VoiceHangover, TimeSpan.Zero, TimeSpan.FromSeconds(2), "200 ms");
        Range(errors, nameof(VoicePreroll), VoicePreroll, TimeSpan.Zero, TimeSpan.FromMilliseconds(500), "40 ms");
        if (double.IsNaN(IdleMotionDegrees) || IdleMotionDegrees is < 0 or > 15)
        {
            errors.Add($"{nameof(IdleMotionDegrees)} is {IdleMotionDegrees}; use 0-15 degrees (default 2.5).");
        }

        Range(errors, nameof(StarvationGrace), StarvationGrace, TimeSpan.Zero, TimeSpan.FromSeconds(2), "100 ms");
        Range(errors, nameof(MinAvDelay), MinAvDelay, TimeSpan.Zero, TimeSpan.FromSeconds(5), "0");
        Range(errors, nameof(MaxAvDelay), MaxAvDelay, TimeSpan.Zero, TimeSpan.FromSeconds(5), "1 s");
        if (MinAvDelay > MaxAvDelay)
        {
            errors.Add($"{nameof(MinAvDelay)} ({MinAvDelay.TotalMilliseconds} ms) exceeds {nameof(MaxAvDelay)} ({MaxAvDelay.TotalMilliseconds} ms).");
        }

        if (InitialAvDelay < MinAvDelay || InitialAvDelay > MaxAvDelay)
        {
            errors.Add($"{nameof(InitialAvDelay)} is {InitialAvDelay.TotalMilliseconds} ms; keep it within {nameof(MinAvDelay)}-{nameof(MaxAvDelay)} (default 200 ms).");
        }

        Range(errors, nameof(AvDelayMargin), AvDelayMargin, TimeSpan.Zero, TimeSpan.FromMilliseconds(200), "5 ms");
        Range(errors, nameof(AvDelayDecayPerFrame), AvDelayDecayPerFrame, TimeSpan.Zero, TimeSpan.FromMilliseconds(40), "4 ms");
        Count(errors, nameof(AvDelayWindowFrames), AvDelayWindowFrames, 1, 1000, 50);
        Count(errors, nameof(InboundQueueCapacity), InboundQueueCapacity, 2, 4096, 64);
        Count(errors, nameof(FeatureQueueCapacity), FeatureQueueCapacity, 2, 4096, 64);
        Count(errors, nameof(PendingFrameCapacity), PendingFrameCapacity, 1, 64, 3);
        Count(errors, nameof(OutputQueueCapacity), OutputQueueCapacity, 1, 64, 4);
        Count(errors, nameof(AudioOutQueueCapacity), AudioOutQueueCapacity, 2, 8192, 128);
        Range(errors, nameof(FlushTimeout), FlushTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10), "250 ms");
        return errors;
    }

    /// <summary>Throws listing every problem at once.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(PipelineSessionOptions)}: {string.Join(" ", errors)}");
        }
    }

    private static void Range(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max, string defaultText)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} is {value.TotalMilliseconds} ms; use {min.TotalMilliseconds}-{max.TotalMilliseconds} ms (default {defaultText}).");
        }
    }

    private static void Count(List<string> errors, string name, int value, int min, int max, int defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} is {value}; use {min}-{max} (default {defaultValue}).");
        }
    }
}
