using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Codecs.Native;
using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Opus;

/// <summary>
/// Encodes 20 ms frames of interleaved 16-bit PCM at 48 kHz to Opus packets (RFC 6716) for RTP (RFC 7587).
/// Not thread-safe: one encoder per outbound stream, driven by one task.
/// </summary>
public sealed partial class OpusEncoder : IDisposable
{
    /// <summary>Sample rate of the PCM the encoder takes.</summary>
    public const int SampleRate = MediaClock.SampleRate;

    /// <summary>Samples per channel in one 20 ms frame at 48 kHz.</summary>
    public const int SamplesPerFrame = SampleRate / 50;

    /// <summary>
    /// An output buffer this large holds any packet: one 20 ms frame is at most 1275 bytes plus its TOC
    /// (RFC 6716 §3.2.1), and 1500 matches the MTU the RTP layer works to.
    /// </summary>
    public const int MaxPacketSize = 1500;

    private readonly OpusEncoderHandle handle;
    private readonly ILogger logger;

    /// <summary>Creates an encoder; throws <see cref="OpusException"/> if libopus refuses it.</summary>
    public OpusEncoder(OpusEncoderOptions options, ILogger<OpusEncoder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        this.logger = logger ?? (ILogger)NullLogger.Instance;

        handle = OpusNative.opus_encoder_create(SampleRate, options.Channels, OpusNative.ApplicationVoip, out var error);
        if (error != OpusNative.OpusOk || handle.IsInvalid)
        {
            handle.Dispose();
            throw new OpusException($"opus_encoder_create failed: {OpusNative.ErrorText(error)}.", error);
        }

        try
        {
            Set(OpusNative.SetBitrateRequest, options.Bitrate, "bitrate");
            Set(OpusNative.SetComplexityRequest, options.Complexity, "complexity");
            Set(OpusNative.SetSignalRequest, OpusNative.SignalVoice, "signal");
            Set(OpusNative.SetInbandFecRequest, options.InbandFec ? 1 : 0, "in-band FEC");
            Set(OpusNative.SetPacketLossPercRequest, options.ExpectedPacketLossPercent, "packet loss percent");
            Set(OpusNative.SetDtxRequest, options.Dtx ? 1 : 0, "DTX");
            Check(OpusNative.opus_encoder_ctl_get(handle, OpusNative.GetLookaheadRequest, out var lookahead), "lookahead");
            Lookahead = lookahead;
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        Log.Created(this.logger, options.Channels, options.Bitrate, options.InbandFec, options.ExpectedPacketLossPercent, options.Dtx);
    }

    /// <summary>The options the encoder was created with (the bitrate may since have changed).</summary>
    public OpusEncoderOptions Options { get; }

    /// <summary>Channels per frame.</summary>
    public int Channels => Options.Channels;

    /// <summary>
    /// Encoder delay in samples per channel at 48 kHz: decoded audio lags the input by this much
    /// (312 for the VOIP application in libopus 1.3).
    /// </summary>
    public int Lookahead { get; }

    /// <summary>Current target bitrate in bits/s.</summary>
    public int Bitrate
    {
        get
        {
            Check(OpusNative.opus_encoder_ctl_get(handle, OpusNative.GetBitrateRequest, out var bitrate), "bitrate");
            return bitrate;
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 6_000);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 510_000);
            Set(OpusNative.SetBitrateRequest, value, "bitrate");
        }
    }

    /// <summary>Updates the loss the FEC is tuned for, e.g. from RTCP receiver reports (0..100).</summary>
    public void SetExpectedPacketLoss(int percent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        Set(OpusNative.SetPacketLossPercRequest, percent, "packet loss percent");
    }

    /// <summary>
    /// Encodes one 20 ms frame: <paramref name="pcm"/> holds exactly <see cref="SamplesPerFrame"/> ×
    /// <see cref="Channels"/> interleaved samples. Returns the packet length written to
    /// <paramref name="packet"/> (size it <see cref="MaxPacketSize"/>). With DTX on, a result of 1–2 bytes
    /// is a silence packet the sender may skip (RFC 7587 §3.1.3).
    /// </summary>
    public unsafe int Encode(ReadOnlySpan<short> pcm, Span<byte> packet)
    {
        ObjectDisposedException.ThrowIf(handle.IsClosed, this);
        if (pcm.Length != SamplesPerFrame * Channels)
        {
            throw new ArgumentException($"Expected {SamplesPerFrame * Channels} samples (20 ms × {Channels} channel(s)), got {pcm.Length}.", nameof(pcm));
        }

        fixed (short* input = pcm)
        fixed (byte* output = packet)
        {
            var length = OpusNative.opus_encode(handle, input, SamplesPerFrame, output, packet.Length);
            if (length < 0)
            {
                throw new OpusException($"opus_encode failed: {OpusNative.ErrorText(length)}.", length);
            }

            return length;
        }
    }

    /// <summary>Encodes one 20 ms frame into a new array of the packet's size.</summary>
    public byte[] Encode(ReadOnlySpan<short> pcm)
    {
        Span<byte> buffer = stackalloc byte[MaxPacketSize];
        return buffer[..Encode(pcm, buffer)].ToArray();
    }

    public void Dispose() => handle.Dispose();

    private void Set(int request, int value, string what) =>
        Check(OpusNative.opus_encoder_ctl_set(handle, request, value), what);

    private static void Check(int result, string what)
    {
        if (result != OpusNative.OpusOk)
        {
            throw new OpusException($"opus_encoder_ctl ({what}) failed: {OpusNative.ErrorText(result)}.", result);
        }
    }
}
