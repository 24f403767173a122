using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Codecs.Native;
using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Vp8;

/// <summary>
/// Real-time VP8 encoder over libvpx: I420 <see cref="VideoFrame"/>s in, <see cref="EncodedVideoFrame"/>s out,
/// one per input frame (no lookahead). Supports live bitrate changes and on-demand keyframes (for PLI/FIR).
/// Not thread-safe: one encoder per outbound stream, driven by one task.
/// </summary>
public sealed unsafe partial class Vp8Encoder : IDisposable
{
    private readonly VpxCodecHandle codec;
    private readonly ILogger logger;
    private readonly nuint frameDuration;
    private long lastPts = long.MinValue;
    private bool keyframeRequested;

    /// <summary>Creates the encoder; throws <see cref="VpxException"/> if libvpx refuses the configuration.</summary>
    public Vp8Encoder(Vp8EncoderOptions options, ILogger<Vp8Encoder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        TargetBitrateKbps = options.TargetBitrateKbps;
        frameDuration = (nuint)(MediaClock.SampleRate / options.FramesPerSecond);

        codec = VpxCodecHandle.Allocate(VpxEncoderConfig.Size);
        try
        {
            var iface = VpxNative.vpx_codec_vp8_cx();
            var cfg = Config;
            Check(VpxNative.vpx_codec_enc_config_default(iface, cfg, 0), "vpx_codec_enc_config_default");

            cfg->GW = (uint)options.Width;
            cfg->GH = (uint)options.Height;
            cfg->GThreads = (uint)options.Threads;

            // Timestamps are media-clock samples, so pts needs no conversion and stays exact.
            cfg->GTimebaseNum = 1;
            cfg->GTimebaseDen = MediaClock.SampleRate;
            cfg->GErrorResilient = options.ErrorResilient ? 1u : 0u;
            cfg->GPass = VpxNative.PassOne;
            cfg->GLagInFrames = 0;
            cfg->RcEndUsage = VpxNative.RateControlCbr;
            cfg->RcTargetBitrate = (uint)options.TargetBitrateKbps;
            cfg->RcMinQuantizer = (uint)options.MinQuantizer;
            cfg->RcMaxQuantizer = (uint)options.MaxQuantizer;
            cfg->RcDropframeThresh = (uint)options.DropFrameThreshold;
            cfg->RcResizeAllowed = 0;

            // Rate-control buffer model in milliseconds, as libwebrtc configures it for conversation.
            cfg->RcUndershootPct = 100;
            cfg->RcOvershootPct = 15;
            cfg->RcBufSz = 1000;
            cfg->RcBufInitialSz = 500;
            cfg->RcBufOptimalSz = 600;
            cfg->KfMode = VpxNative.KeyframeModeAuto;
            cfg->KfMinDist = 0;
            cfg->KfMaxDist = (uint)options.KeyframeMaxDistance;

            var err = VpxNative.vpx_codec_enc_init_ver(codec, iface, cfg, 0, VpxNative.EncoderAbiVersion);
            if (err != VpxNative.VpxCodecOk)
            {
                throw new VpxException($"vpx_codec_enc_init_ver failed: {VpxNative.ErrorText(codec, err)}.", err);
            }

            Control(VpxNative.Vp8eSetCpuUsed, options.CpuUsed, "VP8E_SET_CPUUSED");
            Control(VpxNative.Vp8eSetNoiseSensitivity, 0, "VP8E_SET_NOISE_SENSITIVITY");

            // Skip encoding macroblocks whose change is below this sum of absolute differences: static
            // background of a talking head costs almost nothing (libwebrtc uses 1 as well).
            Control(VpxNative.Vp8eSetStaticThreshold, 1, "VP8E_SET_STATIC_THRESHOLD");
            Control(VpxNative.Vp8eSetTokenPartitions, 0, "VP8E_SET_TOKEN_PARTITIONS");
        }
        catch
        {
            codec.Dispose();
            throw;
        }

        Log.Created(this.logger, options.Width, options.Height, options.TargetBitrateKbps, options.CpuUsed, options.Threads);
    }

    /// <summary>The options the encoder was created with.</summary>
    public Vp8EncoderOptions Options { get; }

    /// <summary>Current target bitrate in kbit/s.</summary>
    public int TargetBitrateKbps { get; private set; }

    /// <summary>Frames encoded so far.</summary>
    public long FramesEncoded { get; private set; }

    /// <summary>Keyframes produced so far (the first frame, forced ones and periodic ones).</summary>
    public long KeyframesEncoded { get; private set; }

    private VpxEncoderConfig* Config => (VpxEncoderConfig*)codec.Config;

    /// <summary>Makes the next encoded frame a keyframe (e.g. on PLI/FIR, RFC 4585 §6.3.1).</summary>
    public void RequestKeyframe() => keyframeRequested = true;

    /// <summary>
    /// Changes the target bitrate from the next frame on (e.g. on a new bandwidth estimate);
    /// <paramref name="kbps"/> in 30..50 000.
    /// </summary>
    public void SetTargetBitrateKbps(int kbps)
    {
        ObjectDisposedException.ThrowIf(codec.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(kbps, 30);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(kbps, 50_000);
        if (kbps == TargetBitrateKbps)
        {
            return;
        }

        var cfg = Config;
        var previous = cfg->RcTargetBitrate;
        cfg->RcTargetBitrate = (uint)kbps;
        var err = VpxNative.vpx_codec_enc_config_set(codec, cfg);
        if (err != VpxNative.VpxCodecOk)
        {
            cfg->RcTargetBitrate = previous;
            throw new VpxException($"vpx_codec_enc_config_set failed: {VpxNative.ErrorText(codec, err)}.", err);
        }

        Log.BitrateChanged(logger, TargetBitrateKbps, kbps);
        TargetBitrateKbps = kbps;
    }

    /// <summary>
    /// Encodes one frame of the configured size. Returns the compressed frame, or null if the rate
    /// controller dropped it (only possible with <see cref="Vp8EncoderOptions.DropFrameThreshold"/> &gt; 0).
    /// A keyframe is produced when <see cref="VideoFrame.ForceKeyframe"/> is set or
    /// <see cref="RequestKeyframe"/> was called. Timestamps should increase; a repeated or earlier one is
    /// nudged forward for the rate controller (the output keeps the frame's own timestamp).
    /// </summary>
    public EncodedVideoFrame? Encode(VideoFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ObjectDisposedException.ThrowIf(codec.IsClosed, this);
        if (frame.Width != Options.Width || frame.Height != Options.Height)
        {
            throw new ArgumentException($"Frame is {frame.Width}x{frame.Height}; this encoder takes {Options.Width}x{Options.Height}.", nameof(frame));
        }

        var pts = frame.MediaTimestamp > lastPts ? frame.MediaTimestamp : lastPts + 1;
        lastPts = pts;
        var forceKeyframe = frame.ForceKeyframe || keyframeRequested;
        keyframeRequested = false;

        int err;
        fixed (byte* y = frame.Y)
        fixed (byte* u = frame.U)
        fixed (byte* v = frame.V)
        {
            // Wrap the frame's planes without copying: with lag_in_frames 0 libvpx copies the picture into
            // its own buffers before vpx_codec_encode returns, so the pins need not outlive the call.
            var image = new VpxImage
            {
                Fmt = VpxNative.ImageFormatI420,
                W = (uint)(frame.ChromaWidth * 2),
                H = (uint)(frame.ChromaHeight * 2),
                BitDepth = 8,
                DW = (uint)frame.Width,
                DH = (uint)frame.Height,
                XChromaShift = 1,
                YChromaShift = 1,
                PlaneY = y,
                PlaneU = u,
                PlaneV = v,
                StrideY = frame.Width,
                StrideU = frame.ChromaWidth,
                StrideV = frame.ChromaWidth,
                Bps = 12,
            };
            var flags = forceKeyframe ? (nint)VpxNative.EncodeFlagForceKeyframe : 0;
            err = VpxNative.vpx_codec_encode(codec, &image, pts, frameDuration, flags, (nuint)VpxNative.DeadlineRealtime);
        }

        if (err != VpxNative.VpxCodecOk)
        {
            throw new VpxException($"vpx_codec_encode failed: {VpxNative.ErrorText(codec, err)}.", err);
        }

        EncodedVideoFrame? result = null;
        nint iterator = 0;
        VpxCodecCxPacket* packet;
        while ((packet = VpxNative.vpx_codec_get_cx_data(codec, &iterator)) != null)
        {
            if (packet->Kind != VpxNative.CxFramePacket)
            {
                continue;
            }

            var data = new ReadOnlySpan<byte>(packet->FrameBuf, checked((int)packet->FrameSize)).ToArray();
            var isKey = (packet->FrameFlags & VpxNative.FrameIsKey) != 0;
            result = new EncodedVideoFrame(data, isKey, frame.MediaTimestamp);
            FramesEncoded++;
            if (isKey)
            {
                KeyframesEncoded++;
                if (forceKeyframe)
                {
                    Log.KeyframeForced(logger, frame.MediaTimestamp);
                }
            }
        }

        return result;
    }

    public void Dispose() => codec.Dispose();

    private void Control(int id, int value, string name)
    {
        var err = VpxNative.vpx_codec_control_int(codec, id, value);
        if (err != VpxNative.VpxCodecOk)
        {
            throw new VpxException($"vpx_codec_control({name}, {value}) failed: {VpxNative.ErrorText(codec, err)}.", err);
        }
    }

    private static void Check(int err, string call)
    {
        if (err != VpxNative.VpxCodecOk)
        {
            throw new VpxException($"{call} failed (vpx error {err}).", err);
        }
    }
}
