namespace RealtimeHead.Codecs.Opus;

/// <summary>Outcome of one <see cref="OpusDecoder"/> call.</summary>
public enum OpusDecodeStatus
{
    /// <summary>The packet decoded normally.</summary>
    Decoded,

    /// <summary>A lost frame was synthesised by packet loss concealment.</summary>
    Concealed,

    /// <summary>A lost frame was rebuilt from the in-band FEC data of the next packet.</summary>
    RecoveredFromFec,

    /// <summary>The packet was malformed (or did not fit the output buffer); it was dropped and counted.</summary>
    Corrupt,
}
