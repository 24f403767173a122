using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary>
/// P/Invoke surface of libvpx 1.12 (<c>libvpx.so.7</c>), declared from /usr/include/vpx/vpx_codec.h,
/// vpx_encoder.h, vpx_decoder.h, vp8cx.h and vp8dx.h. Constants and struct layouts are checked against the
/// headers by NativeLayoutTests.
/// </summary>
/// <remarks>
/// <c>vpx_codec_control_(ctx, id, ...)</c> is variadic; every control used here takes one <c>int</c> (or
/// <c>int*</c>), so it is bound with that fixed signature. On x86-64 SysV the variadic integer argument is
/// passed in rdx exactly like a named one; see <see cref="OpusNative"/> for the full argument.
/// <c>vpx_codec_enc_init</c>/<c>vpx_codec_dec_init</c> are macros over the <c>_ver</c> functions, which take
/// the ABI version the caller was built against.
/// </remarks>
internal static unsafe partial class VpxNative
{
    /// <summary>VPX_ENCODER_ABI_VERSION of libvpx 1.12 (vpx_encoder.h).</summary>
    public const int EncoderAbiVersion = 25;

    /// <summary>VPX_DECODER_ABI_VERSION of libvpx 1.12 (vpx_decoder.h).</summary>
    public const int DecoderAbiVersion = 12;

    /// <summary>Size of <c>vpx_codec_ctx_t</c>.</summary>
    public const int CodecContextSize = 56;

    public const int VpxCodecOk = 0;

    /// <summary>VPX_IMG_FMT_I420 = VPX_IMG_FMT_PLANAR | 2.</summary>
    public const int ImageFormatI420 = 0x102;

    public const int CxFramePacket = 0;
    public const uint FrameIsKey = 0x1;
    public const long EncodeFlagForceKeyframe = 1;
    public const ulong DeadlineRealtime = 1;
    public const int RateControlCbr = 1;
    public const int KeyframeModeAuto = 1;
    public const int PassOne = 0;

    public const int Vp8eSetCpuUsed = 13;
    public const int Vp8eSetNoiseSensitivity = 15;
    public const int Vp8eSetStaticThreshold = 17;
    public const int Vp8eSetTokenPartitions = 18;

    /// <summary>VP8D_GET_FRAME_CORRUPTED (vp8dx.h): int*, non-zero when the last frame decoded with errors.</summary>
    public const int Vp8dGetFrameCorrupted = 257;

    static VpxNative() => CodecsNativeLibraries.EnsureRegistered();

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial nint vpx_codec_vp8_cx();

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial nint vpx_codec_vp8_dx();

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial int vpx_codec_enc_config_default(nint iface, VpxEncoderConfig* cfg, uint usage);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial int vpx_codec_enc_init_ver(VpxCodecHandle ctx, nint iface, VpxEncoderConfig* cfg, nint flags, int ver);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial int vpx_codec_enc_config_set(VpxCodecHandle ctx, VpxEncoderConfig* cfg);

    /// <summary><c>vpx_codec_encode</c>: pts is <c>int64</c>, duration <c>unsigned long</c>, flags <c>long</c>.</summary>
    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial int vpx_codec_encode(VpxCodecHandle ctx, VpxImage* img, long pts, nuint duration, nint flags, nuint deadline);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial VpxCodecCxPacket* vpx_codec_get_cx_data(VpxCodecHandle ctx, nint* iter);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial int vpx_codec_dec_init_ver(VpxCodecHandle ctx, nint iface, VpxDecoderConfig* cfg, nint flags, int ver);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial int vpx_codec_decode(VpxCodecHandle ctx, byte* data, uint dataSize, nint userPriv, nint deadline);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial VpxImage* vpx_codec_get_frame(VpxCodecHandle ctx, nint* iter);

    /// <summary><c>vpx_codec_control_(ctx, id, int value)</c>.</summary>
    [LibraryImport(CodecsNativeLibraries.Vpx, EntryPoint = "vpx_codec_control_")]
    public static partial int vpx_codec_control_int(VpxCodecHandle ctx, int controlId, int value);

    /// <summary><c>vpx_codec_control_(ctx, id, int *value)</c>.</summary>
    [LibraryImport(CodecsNativeLibraries.Vpx, EntryPoint = "vpx_codec_control_")]
    public static partial int vpx_codec_control_get_int(VpxCodecHandle ctx, int controlId, out int value);

    /// <summary>Takes the raw context pointer: called from <see cref="VpxCodecHandle.ReleaseHandle"/>.</summary>
    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial int vpx_codec_destroy(nint ctx);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial byte* vpx_codec_error(VpxCodecHandle ctx);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial byte* vpx_codec_error_detail(VpxCodecHandle ctx);

    [LibraryImport(CodecsNativeLibraries.Vpx)]
    public static partial byte* vpx_codec_err_to_string(int err);

    /// <summary>The context's last error with its detail, for exception messages and logs.</summary>
    public static string ErrorText(VpxCodecHandle ctx, int err)
    {
        var text = Marshal.PtrToStringUTF8((nint)vpx_codec_error(ctx)) ?? Marshal.PtrToStringUTF8((nint)vpx_codec_err_to_string(err));
        var detail = Marshal.PtrToStringUTF8((nint)vpx_codec_error_detail(ctx));
        return string.IsNullOrEmpty(detail) ? $"{text} (vpx error {err})" : $"{text}: {detail} (vpx error {err})";
    }
}
