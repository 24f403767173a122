using RealtimeHead.Testing.Native;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RealtimeHead.Codecs.Native;

namespace RealtimeHead.Codecs.Tests.Native;

public sealed class NativeLayoutTests
{
    /// <summary>Every C expression whose value the managed interop relies on, with the managed value.</summary>
    private static readonly (string C, long Managed)[] Expectations =
    [
        ("sizeof(vpx_codec_enc_cfg_t)", Unsafe.SizeOf<VpxEncoderConfig>()),
        ("sizeof(vpx_codec_ctx_t)", VpxNative.CodecContextSize),
        ("sizeof(vpx_image_t)", Unsafe.SizeOf<VpxImage>()),
        ("sizeof(vpx_codec_cx_pkt_t)", Unsafe.SizeOf<VpxCodecCxPacket>()),
        ("sizeof(vpx_codec_dec_cfg_t)", Unsafe.SizeOf<VpxDecoderConfig>()),
        .. Offsets<VpxEncoderConfig>("vpx_codec_enc_cfg_t", new()
        {
            ["g_usage"] = nameof(VpxEncoderConfig.GUsage),
            ["g_threads"] = nameof(VpxEncoderConfig.GThreads),
            ["g_profile"] = nameof(VpxEncoderConfig.GProfile),
            ["g_w"] = nameof(VpxEncoderConfig.GW),
            ["g_h"] = nameof(VpxEncoderConfig.GH),
            ["g_timebase.num"] = nameof(VpxEncoderConfig.GTimebaseNum),
            ["g_timebase.den"] = nameof(VpxEncoderConfig.GTimebaseDen),
            ["g_error_resilient"] = nameof(VpxEncoderConfig.GErrorResilient),
            ["g_pass"] = nameof(VpxEncoderConfig.GPass),
            ["g_lag_in_frames"] = nameof(VpxEncoderConfig.GLagInFrames),
            ["rc_dropframe_thresh"] = nameof(VpxEncoderConfig.RcDropframeThresh),
            ["rc_resize_allowed"] = nameof(VpxEncoderConfig.RcResizeAllowed),
            ["rc_end_usage"] = nameof(VpxEncoderConfig.RcEndUsage),
            ["rc_target_bitrate"] = nameof(VpxEncoderConfig.RcTargetBitrate),
            ["rc_min_quantizer"] = nameof(VpxEncoderConfig.RcMinQuantizer),
            ["rc_max_quantizer"] = nameof(VpxEncoderConfig.RcMaxQuantizer),
            ["rc_undershoot_pct"] = nameof(VpxEncoderConfig.RcUndershootPct),
            ["rc_overshoot_pct"] = nameof(VpxEncoderConfig.RcOvershootPct),
            ["rc_buf_sz"] = nameof(VpxEncoderConfig.RcBufSz),
            ["rc_buf_initial_sz"] = nameof(VpxEncoderConfig.RcBufInitialSz),
            ["rc_buf_optimal_sz"] = nameof(VpxEncoderConfig.RcBufOptimalSz),
            ["kf_mode"] = nameof(VpxEncoderConfig.KfMode),
            ["kf_min_dist"] = nameof(VpxEncoderConfig.KfMinDist),
            ["kf_max_dist"] = nameof(VpxEncoderConfig.KfMaxDist),
        }),
        .. Offsets<VpxImage>("vpx_image_t", new()
        {
            ["fmt"] = nameof(VpxImage.Fmt),
            ["cs"] = nameof(VpxImage.Cs),
            ["range"] = nameof(VpxImage.Range),
            ["w"] = nameof(VpxImage.W),
            ["h"] = nameof(VpxImage.H),
            ["bit_depth"] = nameof(VpxImage.BitDepth),
            ["d_w"] = nameof(VpxImage.DW),
            ["d_h"] = nameof(VpxImage.DH),
            ["r_w"] = nameof(VpxImage.RW),
            ["r_h"] = nameof(VpxImage.RH),
            ["x_chroma_shift"] = nameof(VpxImage.XChromaShift),
            ["y_chroma_shift"] = nameof(VpxImage.YChromaShift),
            ["planes[VPX_PLANE_Y]"] = nameof(VpxImage.PlaneY),
            ["planes[VPX_PLANE_U]"] = nameof(VpxImage.PlaneU),
            ["planes[VPX_PLANE_V]"] = nameof(VpxImage.PlaneV),
            ["planes[VPX_PLANE_ALPHA]"] = nameof(VpxImage.PlaneAlpha),
            ["stride[VPX_PLANE_Y]"] = nameof(VpxImage.StrideY),
            ["stride[VPX_PLANE_U]"] = nameof(VpxImage.StrideU),
            ["stride[VPX_PLANE_V]"] = nameof(VpxImage.StrideV),
            ["stride[VPX_PLANE_ALPHA]"] = nameof(VpxImage.StrideAlpha),
            ["bps"] = nameof(VpxImage.Bps),
        }),
        .. Offsets<VpxCodecCxPacket>("vpx_codec_cx_pkt_t", new()
        {
            ["kind"] = nameof(VpxCodecCxPacket.Kind),
            ["data.frame.buf"] = nameof(VpxCodecCxPacket.FrameBuf),
            ["data.frame.sz"] = nameof(VpxCodecCxPacket.FrameSize),
            ["data.frame.pts"] = nameof(VpxCodecCxPacket.FramePts),
            ["data.frame.duration"] = nameof(VpxCodecCxPacket.FrameDuration),
            ["data.frame.flags"] = nameof(VpxCodecCxPacket.FrameFlags),
            ["data.frame.partition_id"] = nameof(VpxCodecCxPacket.FramePartitionId),
        }),
        .. Offsets<VpxDecoderConfig>("vpx_codec_dec_cfg_t", new()
        {
            ["threads"] = nameof(VpxDecoderConfig.Threads),
            ["w"] = nameof(VpxDecoderConfig.W),
            ["h"] = nameof(VpxDecoderConfig.H),
        }),

        // Field widths that the bindings encode in their signatures (long flags, unsigned long deadline).
        ("sizeof(vpx_codec_flags_t)", IntPtr.Size),
        ("sizeof(vpx_enc_frame_flags_t)", IntPtr.Size),
        ("sizeof(vpx_codec_pts_t)", sizeof(long)),
        ("sizeof(((vpx_codec_cx_pkt_t*)0)->data.frame.sz)", UIntPtr.Size),

        ("VPX_ENCODER_ABI_VERSION", VpxNative.EncoderAbiVersion),
        ("VPX_DECODER_ABI_VERSION", VpxNative.DecoderAbiVersion),
        ("VPX_CODEC_OK", VpxNative.VpxCodecOk),
        ("VPX_IMG_FMT_I420", VpxNative.ImageFormatI420),
        ("VPX_CODEC_CX_FRAME_PKT", VpxNative.CxFramePacket),
        ("VPX_FRAME_IS_KEY", VpxNative.FrameIsKey),
        ("VPX_EFLAG_FORCE_KF", VpxNative.EncodeFlagForceKeyframe),
        ("VPX_DL_REALTIME", (long)VpxNative.DeadlineRealtime),
        ("VPX_CBR", VpxNative.RateControlCbr),
        ("VPX_KF_AUTO", VpxNative.KeyframeModeAuto),
        ("VPX_RC_ONE_PASS", VpxNative.PassOne),
        ("VP8E_SET_CPUUSED", VpxNative.Vp8eSetCpuUsed),
        ("VP8E_SET_NOISE_SENSITIVITY", VpxNative.Vp8eSetNoiseSensitivity),
        ("VP8E_SET_STATIC_THRESHOLD", VpxNative.Vp8eSetStaticThreshold),
        ("VP8E_SET_TOKEN_PARTITIONS", VpxNative.Vp8eSetTokenPartitions),
        ("VP8D_GET_FRAME_CORRUPTED", VpxNative.Vp8dGetFrameCorrupted),

        ("OPUS_OK", OpusNative.OpusOk),
        ("OPUS_BAD_ARG", OpusNative.OpusBadArg),
        ("OPUS_BUFFER_TOO_SMALL", OpusNative.OpusBufferTooSmall),
        ("OPUS_INTERNAL_ERROR", OpusNative.OpusInternalError),
        ("OPUS_INVALID_PACKET", OpusNative.OpusInvalidPacket),
        ("OPUS_UNIMPLEMENTED", OpusNative.OpusUnimplemented),
        ("OPUS_INVALID_STATE", OpusNative.OpusInvalidState),
        ("OPUS_ALLOC_FAIL", OpusNative.OpusAllocFail),
        ("OPUS_APPLICATION_VOIP", OpusNative.ApplicationVoip),
        ("OPUS_SIGNAL_VOICE", OpusNative.SignalVoice),
        ("OPUS_SET_COMPLEXITY_REQUEST", OpusNative.SetComplexityRequest),
        ("OPUS_SET_BITRATE_REQUEST", OpusNative.SetBitrateRequest),
        ("OPUS_GET_BITRATE_REQUEST", OpusNative.GetBitrateRequest),
        ("OPUS_SET_INBAND_FEC_REQUEST", OpusNative.SetInbandFecRequest),
        ("OPUS_SET_PACKET_LOSS_PERC_REQUEST", OpusNative.SetPacketLossPercRequest),
        ("OPUS_SET_DTX_REQUEST", OpusNative.SetDtxRequest),
        ("OPUS_SET_SIGNAL_REQUEST", OpusNative.SetSignalRequest),
        ("OPUS_GET_LOOKAHEAD_REQUEST", OpusNative.GetLookaheadRequest),
        ("OPUS_RESET_STATE", OpusNative.ResetStateRequest),
        ("OPUS_GET_LAST_PACKET_DURATION_REQUEST", OpusNative.GetLastPacketDurationRequest),
    ];

    [CcFact]
    public void Layouts_MatchInstalledHeaders()
    {
        var native = NativeHeaderProbe.Evaluate(
            ["vpx/vpx_encoder.h", "vpx/vpx_decoder.h", "vpx/vp8cx.h", "vpx/vp8dx.h", "opus/opus.h"],
            Expectations.Select(e => e.C).ToArray());

        var mismatches = Expectations
            .Where(e => native[e.C] != e.Managed)
            .Select(e => $"{e.C}: header {native[e.C]}, managed {e.Managed}")
            .ToArray();

        Assert.Empty(mismatches);
        Assert.Equal(Expectations.Length, native.Count);
    }

    [Fact]
    public void StructSizes_MatchLibvpx112OnX64()
    {
        // Verified with sizeof on Debian 12 libvpx-dev 1.12 (docs/ENVIRONMENT.md); holds without a compiler.
        Assert.Equal(504, Unsafe.SizeOf<VpxEncoderConfig>());
        Assert.Equal(136, Unsafe.SizeOf<VpxImage>());
        Assert.Equal(136, Unsafe.SizeOf<VpxCodecCxPacket>());
        Assert.Equal(12, Unsafe.SizeOf<VpxDecoderConfig>());
        Assert.Equal(56, VpxNative.CodecContextSize);
        Assert.Equal(112, (int)Marshal.OffsetOf<VpxEncoderConfig>(nameof(VpxEncoderConfig.RcTargetBitrate)));
        Assert.Equal(168, (int)Marshal.OffsetOf<VpxEncoderConfig>(nameof(VpxEncoderConfig.KfMaxDist)));
        Assert.Equal(48, (int)Marshal.OffsetOf<VpxImage>(nameof(VpxImage.PlaneY)));
        Assert.Equal(80, (int)Marshal.OffsetOf<VpxImage>(nameof(VpxImage.StrideY)));
        Assert.Equal(40, (int)Marshal.OffsetOf<VpxCodecCxPacket>(nameof(VpxCodecCxPacket.FrameFlags)));
    }

    private static IEnumerable<(string, long)> Offsets<T>(string cType, Dictionary<string, string> fields) =>
        fields.Select(f => ($"offsetof({cType}, {f.Key})", (long)Marshal.OffsetOf<T>(f.Value)));
}
