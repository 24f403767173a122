namespace RealtimeHead.Codecs.Opus;

/// <summary>A libopus call that must not fail did (construction, a control, encoding).</summary>
public sealed class OpusException : Exception
{
    public OpusException(string message, int errorCode)
        : base(message) => ErrorCode = errorCode;

    /// <summary>The libopus error code (OPUS_BAD_ARG = -1 ... OPUS_ALLOC_FAIL = -7).</summary>
    public int ErrorCode { get; }
}
