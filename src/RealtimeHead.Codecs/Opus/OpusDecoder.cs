using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Codecs.Native;
using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Opus;

/// <summary>
/// Decodes Opus packets (RFC 6716) to interleaved 16-bit PCM at 48 kHz, with packet loss concealment and
/// in-band FEC recovery. Malformed packets never throw: they come back as <see cref="OpusDecodeStatus.Corrupt"/>
/// and are counted in <see cref="CorruptPackets"/>. Not thread-safe: one decoder per inbound stream.
/// </summary>
public sealed partial class OpusDecoder : IDisposable
{
    /// <summary>Sample rate of the decoded PCM.</summary>
    public const int SampleRate = MediaClock.SampleRate;

    /// <summary>
    /// Samples per channel of the longest legal packet (120 ms at 48 kHz, RFC 6716 §3.2.5): an output buffer of
    /// this many samples × channels accepts every packet.
    /// </summary>
    public const int MaxFrameSamplesPerChannel = 5760;

    /// <summary>Samples per channel of a 20 ms frame, the default span to conceal.</summary>
    public const int SamplesPer20Ms = SampleRate / 50;

    private readonly OpusDecoderHandle handle;
    private readonly ILogger logger;

    /// <summary>Creates a decoder; throws <see cref="OpusException"/> if libopus refuses it.</summary>
    public OpusDecoder(OpusDecoderOptions options, ILogger<OpusDecoder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Channels = options.Channels;
        this.logger = logger ?? (ILogger)NullLogger.Instance;

        handle = OpusNative.opus_decoder_create(SampleRate, Channels, out var error);
        if (error != OpusNative.OpusOk || handle.IsInvalid)
        {
            handle.Dispose();
            throw new OpusException($"opus_decoder_create failed: {OpusNative.ErrorText(error)}.", error);
        }
    }

    /// <summary>Channels of the decoded PCM.</summary>
    public int Channels { get; }

    /// <summary>Packets decoded normally.</summary>
    public long DecodedPackets { get; private set; }

    /// <summary>Malformed packets dropped.</summary>
    public long CorruptPackets { get; private set; }

    /// <summary>Frames synthesised by packet loss concealment.</summary>
    public long ConcealedFrames { get; private set; }

    /// <summary>Lost frames rebuilt from in-band FEC.</summary>
    public long RecoveredFrames { get; private set; }

    /// <summary>
    /// Samples per channel of the last packet decoded (or concealed); what a lost packet most likely held.
    /// 960 (20 ms) before the first packet.
    /// </summary>
    public int LastPacketDuration { get; private set; } = SamplesPer20Ms;

    /// <summary>
    /// Decodes one packet into <paramref name="pcm"/> (interleaved; size it
    /// <see cref="MaxFrameSamplesPerChannel"/> × <see cref="Channels"/> to accept any packet).
    /// An empty packet is treated as corrupt: concealment is asked for explicitly with <see cref="Conceal"/>.
    /// </summary>
    public OpusDecodeResult Decode(ReadOnlySpan<byte> packet, Span<short> pcm)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        if (packet.IsEmpty)
        {
            return Corrupt(OpusNative.OpusInvalidPacket, packet.Length);
        }

        var samples = DecodeCore(packet, pcm, pcm.Length / Channels, fec: false);
        if (samples < 0)
        {
            return Corrupt(samples, packet.Length);
        }

        DecodedPackets++;
        LastPacketDuration = samples;
        return new OpusDecodeResult(OpusDecodeStatus.Decoded, samples);
    }

    /// <summary>
    /// Rebuilds the frame lost just before <paramref name="nextPacket"/> from that packet's in-band FEC data
    /// (RFC 6716 §2.1.7), writing <paramref name="samplesPerChannel"/> samples (the lost packet's duration,
    /// a multiple of 2.5 ms; e.g. from the RTP timestamp gap). Afterwards decode <paramref name="nextPacket"/>
    /// itself normally. Without FEC data in the packet libopus falls back to concealment.
    /// </summary>
    public OpusDecodeResult DecodeFec(ReadOnlySpan<byte> nextPacket, Span<short> pcm, int samplesPerChannel = SamplesPer20Ms)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        CheckOutput(pcm, samplesPerChannel);
        if (nextPacket.IsEmpty)
        {
            return Corrupt(OpusNative.OpusInvalidPacket, 0);
        }

        var samples = DecodeCore(nextPacket, pcm, samplesPerChannel, fec: true);
        if (samples < 0)
        {
            return Corrupt(samples, nextPacket.Length);
        }

        RecoveredFrames++;
        return new OpusDecodeResult(OpusDecodeStatus.RecoveredFromFec, samples);
    }

    /// <summary>
    /// Synthesises <paramref name="samplesPerChannel"/> samples (a multiple of 2.5 ms) for a lost packet by
    /// packet loss concealment (a null packet to libopus).
    /// </summary>
    public unsafe OpusDecodeResult Conceal(Span<short> pcm, int samplesPerChannel = SamplesPer20Ms)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        CheckOutput(pcm, samplesPerChannel);
        fixed (short* output = pcm)
        {
            var samples = OpusNative.opus_decode(handle, null, 0, output, samplesPerChannel, 0);
            if (samples < 0)
            {
                // Only a frame size that is not a multiple of 2.5 ms gets here: the caller's mistake.
                throw new ArgumentException($"Opus cannot conceal {samplesPerChannel} samples: {OpusNative.ErrorText(samples)}.", nameof(samplesPerChannel));
            }

            ConcealedFrames++;
            LastPacketDuration = samples;
            return new OpusDecodeResult(OpusDecodeStatus.Concealed, samples);
        }
    }

    public void Dispose() => handle.Dispose();

    private unsafe int DecodeCore(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSize, bool fec)
    {
        fixed (byte* input = packet)
        fixed (short* output = pcm)
        {
            return OpusNative.opus_decode(handle, input, packet.Length, output, frameSize, fec ? 1 : 0);
        }
    }

    private void CheckOutput(Span<short> pcm, int samplesPerChannel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerChannel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samplesPerChannel, MaxFrameSamplesPerChannel);
        if (pcm.Length < samplesPerChannel * Channels)
        {
            throw new ArgumentException($"Output holds {pcm.Length} samples; {samplesPerChannel * Channels} needed.", nameof(pcm));
        }
    }

    private OpusDecodeResult Corrupt(int error, int length)
    {
        CorruptPackets++;
        Log.CorruptPacket(logger, length, error);
        return new OpusDecodeResult(OpusDecodeStatus.Corrupt, 0, error);
    }
}
