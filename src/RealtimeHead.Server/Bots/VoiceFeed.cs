namespace RealtimeHead.Server.Bots;

/// <summary>
/// One queued piece of a session's non-microphone voice: 48 kHz mono samples that <see cref="VoiceSourcePeer"/> plays
/// in order, paced in real time. Written by a request thread, read by the pacer.
/// </summary>
internal abstract class VoiceFeed
{
    /// <summary>Push or speech.</summary>
    public abstract VoiceSourceKind Kind { get; }

    /// <summary>Samples ready to play.</summary>
    public abstract int Available { get; }

    /// <summary>No more samples will be added (what is available still plays).</summary>
    public abstract bool IsCompleted { get; }

    /// <summary>Moves up to <paramref name="destination"/>'s length of samples out; returns how many.</summary>
    public abstract int Read(Span<short> destination);

    /// <summary>Drops everything not yet played (barge-in, session end); returns how many samples that was.</summary>
    public abstract int Discard();
}
