namespace RealtimeHead.Codecs.Vp8;

/// <summary>A libvpx call that must not fail did (codec initialisation, configuration, encoding).</summary>
public sealed class VpxException : Exception
{
    public VpxException(string message, int errorCode)
        : base(message) => ErrorCode = errorCode;

    /// <summary>The <c>vpx_codec_err_t</c> value (1 VPX_CODEC_ERROR ... 8 VPX_CODEC_LIST_END).</summary>
    public int ErrorCode { get; }
}
