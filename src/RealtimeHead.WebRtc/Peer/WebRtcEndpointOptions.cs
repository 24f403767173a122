using System.Globalization;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Peer;

/// <summary>
/// Settings of a <see cref="WebRtcEndpoint"/> and the sessions it creates. Every value has a documented
/// default and range; <see cref="Validate"/> lists every problem at once.
/// </summary>
public sealed record WebRtcEndpointOptions
{
    /// <summary>Shared UDP port range, host candidate addresses and the consent timeout (see <see cref="IceOptions"/>).</summary>
    public IceOptions Ice { get; init; } = new();

    /// <summary>
    /// How long a session waits, from its creation, for the browser to finish ICE and the DTLS handshake.
    /// Default 15 s; 1 s – 2 min.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Sessions open at once; <see cref="WebRtcEndpoint.CreateSessionAsync"/> refuses more. Default 64; 1 – 10 000.</summary>
    public int MaxSessions { get; init; } = 64;

    /// <summary>
    /// Datagrams queued per session between the shared receive loop and the session's own reader; more are
    /// dropped and counted, so a slow or flooded session never stalls the others. Default 512; 16 – 65 536.
    /// </summary>
    public int InboundDatagramQueueCapacity { get; init; } = 512;

    /// <summary>Decoded 20 ms audio frames buffered in <c>InboundAudio</c>; the oldest is dropped (and counted) when full. Default 50 (1 s); 2 – 3000.</summary>
    public int InboundAudioQueueFrames { get; init; } = 50;

    /// <summary>Video frames waiting for the encoder; the oldest is dropped (and counted) when full. Default 3; 1 – 100.</summary>
    public int OutboundVideoQueueFrames { get; init; } = 3;

    /// <summary>Audio frames waiting for the encoder; the oldest is dropped (and counted) when full. Default 100; 1 – 3000.</summary>
    public int OutboundAudioQueueFrames { get; init; } = 100;

    /// <summary>Inbound audio playout delay absorbing network jitter. Default 60 ms; 20 ms – 1 s.</summary>
    public TimeSpan JitterBufferDelay { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Video bitrate before the first bandwidth estimate (bit/s). Default 1 000 000; within [<see cref="MinVideoBitrate"/>, <see cref="MaxVideoBitrate"/>].</summary>
    public int InitialVideoBitrate { get; init; } = 1_000_000;

    /// <summary>Lowest video bitrate the estimate may set (bit/s). Default 100 000; 50 000 – 50 000 000.</summary>
    public int MinVideoBitrate { get; init; } = 100_000;

    /// <summary>Highest video bitrate the estimate may set (bit/s). Default 2 500 000; ≥ <see cref="MinVideoBitrate"/>, ≤ 50 000 000.</summary>
    public int MaxVideoBitrate { get; init; } = 2_500_000;

    /// <summary>Opus bitrate (bit/s). Default 32 000; 6 000 – 510 000 (RFC 7587 §3.1.1).</summary>
    public int AudioBitrate { get; init; } = 32_000;

    /// <summary>Time between RTCP sender and receiver reports. Default 1 s; 100 ms – 60 s (RFC 3550 §6.2 uses 5 s minimum for large groups; two peers may report faster).</summary>
    public TimeSpan RtcpReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Period of the session timer that drives the pacer, NACK retries and reports. Default 5 ms; 1 – 100 ms.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Every problem with these options, each saying what to change; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Ice is null)
        {
            errors.Add("WebRtc:Ice is null; leave it unset for the defaults.");
        }
        else
        {
            errors.AddRange(Ice.Validate());
        }

        CheckRange(errors, nameof(HandshakeTimeout), HandshakeTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), "15 s");
        CheckRange(errors, nameof(MaxSessions), MaxSessions, 1, 10_000, 64);
        CheckRange(errors, nameof(InboundDatagramQueueCapacity), InboundDatagramQueueCapacity, 16, 65_536, 512);
        CheckRange(errors, nameof(InboundAudioQueueFrames), InboundAudioQueueFrames, 2, 3000, 50);
        CheckRange(errors, nameof(OutboundVideoQueueFrames), OutboundVideoQueueFrames, 1, 100, 3);
        CheckRange(errors, nameof(OutboundAudioQueueFrames), OutboundAudioQueueFrames, 1, 3000, 100);
        CheckRange(errors, nameof(JitterBufferDelay), JitterBufferDelay, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1), "60 ms");
        CheckRange(errors, nameof(MinVideoBitrate), MinVideoBitrate, 50_000, 50_000_000, 100_000);
        CheckRange(errors, nameof(MaxVideoBitrate), MaxVideoBitrate, 50_000, 50_000_000, 2_500_000);
        if (MaxVideoBitrate < MinVideoBitrate)
        {
            errors.Add(Invariant($"WebRtc:MaxVideoBitrate ({MaxVideoBitrate}) is below WebRtc:MinVideoBitrate ({MinVideoBitrate}); raise it."));
        }

        if (InitialVideoBitrate < MinVideoBitrate || InitialVideoBitrate > MaxVideoBitrate)
        {
            errors.Add(Invariant($"WebRtc:InitialVideoBitrate is {InitialVideoBitrate}; set it within [{MinVideoBitrate}, {MaxVideoBitrate}] (default 1000000)."));
        }

        CheckRange(errors, nameof(AudioBitrate), AudioBitrate, 6_000, 510_000, 32_000);
        CheckRange(errors, nameof(RtcpReportInterval), RtcpReportInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60), "1 s");
        CheckRange(errors, nameof(TickInterval), TickInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(100), "5 ms");
        return errors;
    }

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem, so bad configuration fails at start.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid WebRTC options:" + Environment.NewLine + string.Join(Environment.NewLine, errors));
        }
    }

    private static void CheckRange(List<string> errors, string name, int value, int min, int max, int defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add(Invariant($"WebRtc:{name} is {value}; set it to {min}-{max} (default {defaultValue})."));
        }
    }

    private static void CheckRange(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max, string defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add(Invariant($"WebRtc:{name} is {value}; set it to {min}-{max} (default {defaultValue})."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
