namespace RealtimeHead.Codecs.Vp8;

/// <summary>Outcome of one <see cref="Vp8Decoder.Decode"/> call.</summary>
public enum Vp8DecodeStatus
{
    /// <summary>A picture was decoded.</summary>
    Decoded,

    /// <summary>The frame decoded but produced no picture to show (e.g. a hidden alt-ref frame).</summary>
    NoPicture,

    /// <summary>
    /// An inter frame arrived while the decoder has no valid reference (at start or after a corrupt frame);
    /// it was skipped. The receiver should ask for a keyframe (PLI, RFC 4585 §6.3.1).
    /// </summary>
    WaitingForKeyframe,

    /// <summary>The frame was malformed or decoded with errors; it was dropped and counted.</summary>
    Corrupt,
}
