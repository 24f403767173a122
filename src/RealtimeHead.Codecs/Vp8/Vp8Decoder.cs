using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Codecs.Native;
using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Vp8;

/// <summary>
/// VP8 decoder over libvpx producing I420 <see cref="VideoFrame"/>s. Malformed input never throws: it comes
/// back as <see cref="Vp8DecodeStatus.Corrupt"/>, is counted, and the decoder then waits for a keyframe.
/// Not thread-safe: one decoder per inbound stream.
/// </summary>
public sealed unsafe partial class Vp8Decoder : IDisposable
{
    private readonly VpxCodecHandle codec;
    private readonly ILogger logger;
    private readonly Vp8DecoderOptions options;

    /// <summary>Creates the decoder; throws <see cref="VpxException"/> if libvpx refuses it.</summary>
    public Vp8Decoder(Vp8DecoderOptions options, ILogger<Vp8Decoder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
        this.logger = logger ?? (ILogger)NullLogger.Instance;

        codec = VpxCodecHandle.Allocate(sizeof(VpxDecoderConfig));
        var cfg = (VpxDecoderConfig*)codec.Config;
        cfg->Threads = (uint)options.Threads;
        var err = VpxNative.vpx_codec_dec_init_ver(codec, VpxNative.vpx_codec_vp8_dx(), cfg, 0, VpxNative.DecoderAbiVersion);
        if (err != VpxNative.VpxCodecOk)
        {
            var message = VpxNative.ErrorText(codec, err);
            codec.Dispose();
            throw new VpxException($"vpx_codec_dec_init_ver failed: {message}.", err);
        }
    }

    /// <summary>
    /// True until a keyframe has decoded, and again after a corrupt frame: inter frames are skipped and the
    /// receiver should request a keyframe.
    /// </summary>
    public bool NeedsKeyframe { get; private set; } = true;

    /// <summary>Pictures decoded.</summary>
    public long DecodedFrames { get; private set; }

    /// <summary>Frames rejected as malformed or decoded with errors.</summary>
    public long CorruptFrames { get; private set; }

    /// <summary>Inter frames skipped while waiting for a keyframe.</summary>
    public long SkippedFrames { get; private set; }

    /// <summary>
    /// Decodes one complete VP8 frame (as reassembled from RTP, RFC 7741). The returned picture is a new
    /// <see cref="VideoFrame"/> stamped with <paramref name="mediaTimestamp"/>.
    /// </summary>
    public Vp8DecodeResult Decode(ReadOnlySpan<byte> data, long mediaTimestamp = 0)
    {
        ObjectDisposedException.ThrowIf(codec.IsClosed, this);
        if (data.IsEmpty)
        {
            return Corrupt(data.Length, "empty frame");
        }

        if (Vp8Bitstream.TryReadKeyframeSize(data, out var width, out var height))
        {
            if (width == 0 || height == 0 || width > options.MaxWidth || height > options.MaxHeight)
            {
                return Corrupt(data.Length, $"keyframe size {width}x{height} outside 1x1..{options.MaxWidth}x{options.MaxHeight}");
            }
        }
        else if (NeedsKeyframe)
        {
            SkippedFrames++;
            return new Vp8DecodeResult(Vp8DecodeStatus.WaitingForKeyframe, null);
        }

        int err;
        fixed (byte* input = data)
        {
            err = VpxNative.vpx_codec_decode(codec, input, (uint)data.Length, 0, 0);
        }

        if (err != VpxNative.VpxCodecOk)
        {
            return Corrupt(data.Length, VpxNative.ErrorText(codec, err));
        }

        // libvpx may accept a damaged frame and mark it corrupt instead of failing (vp8dx.h).
        if (VpxNative.vpx_codec_control_get_int(codec, VpxNative.Vp8dGetFrameCorrupted, out var corrupted) == VpxNative.VpxCodecOk && corrupted != 0)
        {
            DrainPictures();
            return Corrupt(data.Length, "frame decoded with errors");
        }

        VideoFrame? picture = null;
        nint iterator = 0;
        VpxImage* image;
        while ((image = VpxNative.vpx_codec_get_frame(codec, &iterator)) != null)
        {
            if (image->Fmt != VpxNative.ImageFormatI420)
            {
                return Corrupt(data.Length, $"unexpected image format 0x{image->Fmt:x}");
            }

            picture = CopyPicture(image, mediaTimestamp);
        }

        NeedsKeyframe = false;
        if (picture is null)
        {
            return new Vp8DecodeResult(Vp8DecodeStatus.NoPicture, null);
        }

        DecodedFrames++;
        return new Vp8DecodeResult(Vp8DecodeStatus.Decoded, picture);
    }

    public void Dispose() => codec.Dispose();

    private static VideoFrame CopyPicture(VpxImage* image, long mediaTimestamp)
    {
        var frame = new VideoFrame((int)image->DW, (int)image->DH, mediaTimestamp);
        CopyPlane(image->PlaneY, image->StrideY, frame.Y, frame.Width, frame.Height);
        CopyPlane(image->PlaneU, image->StrideU, frame.U, frame.ChromaWidth, frame.ChromaHeight);
        CopyPlane(image->PlaneV, image->StrideV, frame.V, frame.ChromaWidth, frame.ChromaHeight);
        return frame;
    }

    private static void CopyPlane(byte* source, int stride, Span<byte> destination, int width, int height)
    {
        for (var row = 0; row < height; row++)
        {
            new ReadOnlySpan<byte>(source + ((nint)row * stride), width).CopyTo(destination.Slice(row * width, width));
        }
    }

    private void DrainPictures()
    {
        nint iterator = 0;
        while (VpxNative.vpx_codec_get_frame(codec, &iterator) != null)
        {
        }
    }

    private Vp8DecodeResult Corrupt(int length, string reason)
    {
        CorruptFrames++;
        NeedsKeyframe = true;
        Log.CorruptFrame(logger, length, reason);
        return new Vp8DecodeResult(Vp8DecodeStatus.Corrupt, null);
    }
}
