using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary>
/// <c>vpx_codec_enc_cfg_t</c> of libvpx 1.12 (vpx_encoder.h), 504 bytes on x86-64. Only the fields this
/// project sets are declared; the rest is kept opaque and filled by <c>vpx_codec_enc_config_default</c>.
/// Offsets checked by NativeLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct VpxEncoderConfig
{
    public const int Size = 504;

    [FieldOffset(0)] public uint GUsage;
    [FieldOffset(4)] public uint GThreads;
    [FieldOffset(8)] public uint GProfile;
    [FieldOffset(12)] public uint GW;
    [FieldOffset(16)] public uint GH;

    /// <summary><c>g_timebase.num</c> (vpx_rational_t at offset 28).</summary>
    [FieldOffset(28)] public int GTimebaseNum;
    [FieldOffset(32)] public int GTimebaseDen;
    [FieldOffset(36)] public uint GErrorResilient;
    [FieldOffset(40)] public int GPass;
    [FieldOffset(44)] public uint GLagInFrames;
    [FieldOffset(48)] public uint RcDropframeThresh;
    [FieldOffset(52)] public uint RcResizeAllowed;
    [FieldOffset(72)] public int RcEndUsage;
    [FieldOffset(112)] public uint RcTargetBitrate;
    [FieldOffset(116)] public uint RcMinQuantizer;
    [FieldOffset(120)] public uint RcMaxQuantizer;
    [FieldOffset(124)] public uint RcUndershootPct;
    [FieldOffset(128)] public uint RcOvershootPct;
    [FieldOffset(132)] public uint RcBufSz;
    [FieldOffset(136)] public uint RcBufInitialSz;
    [FieldOffset(140)] public uint RcBufOptimalSz;
    [FieldOffset(160)] public int KfMode;
    [FieldOffset(164)] public uint KfMinDist;
    [FieldOffset(168)] public uint KfMaxDist;
}
