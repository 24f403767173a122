namespace RealtimeHead.Codecs.Opus;

/// <summary>Result of one decode call.</summary>
/// <param name="Status">What happened.</param>
/// <param name="SamplesPerChannel">Samples per channel written to the output; 0 when <see cref="OpusDecodeStatus.Corrupt"/>.</param>
/// <param name="ErrorCode">The libopus error code when corrupt (e.g. -4 OPUS_INVALID_PACKET), else 0.</param>
public readonly record struct OpusDecodeResult(OpusDecodeStatus Status, int SamplesPerChannel, int ErrorCode = 0)
{
    /// <summary>True when PCM was produced.</summary>
    public bool Succeeded => Status != OpusDecodeStatus.Corrupt;
}
