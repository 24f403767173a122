using System.Threading.Channels;
using RealtimeHead.Codecs.Opus;
using RealtimeHead.Media;
using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Peer;

/// <summary>
/// The browser's microphone: Opus RTP → jitter buffer → decoder (in-band FEC for a single loss, PLC
/// otherwise, RFC 6716 §2.1.7) → 48 kHz mono <see cref="AudioFrame"/>s on the session's media clock.
/// <see cref="Accept"/> runs on the session's receive task, <see cref="Playout"/> on its playout timer; the
/// decoder is only touched by <see cref="Playout"/>.
/// </summary>
/// <remarks>
/// Media timestamps: the first played packet is placed at the session's media position when it plays; later
/// packets follow by their RTP timestamp distance (so a sender pause leaves a gap), concealed steps follow the
/// previous step. Frames are therefore in order and never overlap.
/// </remarks>
internal sealed class InboundAudioTrack : IDisposable
{
    private readonly byte _payloadType;
    private readonly HashSet<uint> _announcedSsrcs;
    private readonly OpusJitterBuffer _jitter;
    private readonly OpusDecoder _decoder = new(new OpusDecoderOptions { Channels = 1 });
    private readonly ChannelWriter<AudioFrame> _writer;
    private readonly Func<long> _mediaPositionNow;
    private readonly TimestampUnwrapper _timestamps = new();
    private readonly short[] _pcm = new short[OpusDecoder.MaxFrameSamplesPerChannel];
    private uint? _ssrc;
    private bool _anchored;
    private long _anchorRtp;
    private long _anchorMedia;
    private long _nextPosition;
    private long _ignored;
    private long _framesWritten;

    public InboundAudioTrack(byte payloadType, IEnumerable<uint> announcedSsrcs, OpusJitterBufferOptions jitterOptions, ChannelWriter<AudioFrame> writer, Func<long> mediaPositionNow, TimeProvider time)
    {
        _payloadType = payloadType;
        _announcedSsrcs = [.. announcedSsrcs];
        _jitter = new OpusJitterBuffer(jitterOptions, time);
        _writer = writer;
        _mediaPositionNow = mediaPositionNow;
    }

    /// <summary>RTP packets of another payload type or a second unannounced SSRC; dropped.</summary>
    public long IgnoredPackets => Interlocked.Read(ref _ignored);

    public long FramesWritten => Interlocked.Read(ref _framesWritten);

    public OpusJitterBuffer JitterBuffer => _jitter;

    public OpusDecoder Decoder => _decoder;

    /// <summary>Queues an inbound audio packet; false (and counted) when it is not this track's.</summary>
    public bool Accept(RtpPacket packet)
    {
        if (packet.PayloadType != _payloadType)
        {
            Interlocked.Increment(ref _ignored);
            return false;
        }

        // Lock onto the first SSRC the browser uses; an announced SSRC may replace it (track replaced).
        var ssrc = _ssrc;
        if (ssrc is null || (ssrc != packet.Ssrc && _announcedSsrcs.Contains(packet.Ssrc)))
        {
            _ssrc = packet.Ssrc;
        }
        else if (ssrc != packet.Ssrc)
        {
            Interlocked.Increment(ref _ignored);
            return false;
        }

        return _jitter.Push(packet);
    }

    /// <summary>Decodes every playout step that is due now and writes the frames.</summary>
    public void Playout()
    {
        while (_jitter.TryPop(out var step))
        {
            OpusDecodeResult result;
            long position;
            if (step.Kind == JitterBufferOutputKind.Packet && step.Packet is { } packet)
            {
                long rtp = _timestamps.Unwrap(packet.Timestamp);
                if (!_anchored)
                {
                    _anchored = true;
                    _anchorRtp = rtp;
                    _anchorMedia = _mediaPositionNow();
                }

                // Opus RTP runs at 48 kHz whatever the coded bandwidth (RFC 7587 §4.1): the media clock's rate.
                position = _anchorMedia + (rtp - _anchorRtp);
                if (position < _nextPosition && _framesWritten > 0)
                {
                    // A sender that moved its timestamps backwards: keep frames in order rather than overlap.
                    position = _nextPosition;
                }

                result = _decoder.Decode(packet.Payload.Span, _pcm);
                if (!result.Succeeded)
                {
                    result = _decoder.Conceal(_pcm, _decoder.LastPacketDuration);
                }
            }
            else
            {
                if (!_anchored)
                {
                    continue;
                }

                position = _nextPosition;
                int samples = _decoder.LastPacketDuration;
                result = step.Next is { } next ? _decoder.DecodeFec(next.Payload.Span, _pcm, samples) : _decoder.Conceal(_pcm, samples);
                if (!result.Succeeded)
                {
                    result = _decoder.Conceal(_pcm, samples);
                }
            }

            int count = result.SamplesPerChannel;
            if (count <= 0)
            {
                continue;
            }

            _nextPosition = position + count;
            _writer.TryWrite(new AudioFrame(_pcm.AsSpan(0, count).ToArray(), MediaClock.SampleRate, 1, position));
            Interlocked.Increment(ref _framesWritten);
        }
    }

    public void Dispose() => _decoder.Dispose();
}
