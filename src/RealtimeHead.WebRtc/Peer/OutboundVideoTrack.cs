using RealtimeHead.Codecs.Vp8;
using RealtimeHead.Media;
using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Peer;

/// <summary>
/// The avatar's video: I420 → VP8 (libvpx realtime) → RFC 7741 payloads → RTP with a 90 kHz timestamp from
/// the frame's media position. The encoder is made for the first frame's size and remade (with a keyframe)
/// when the size changes. Keyframe and bitrate requests arrive from the RTCP side on other threads and are
/// applied before the next frame. Not thread-safe otherwise: one video task calls <see cref="Encode"/>.
/// </summary>
internal sealed class OutboundVideoTrack : IDisposable
{
    private readonly RtpPacketSequencer _sequencer;
    private readonly Vp8Packetizer _packetizer = new();
    private readonly uint _timestampOffset;
    private Vp8Encoder? _encoder;
    private int _keyframeRequested;
    private int _targetBitrate;
    private long _framesEncoded;
    private long _keyframesEncoded;
    private long _encoderFailures;

    public OutboundVideoTrack(uint ssrc, byte payloadType, uint timestampOffset, int initialBitrate)
    {
        _sequencer = new RtpPacketSequencer(ssrc, payloadType, (ushort)Random.Shared.Next(0x10000));
        _timestampOffset = timestampOffset;
        _targetBitrate = initialBitrate;
    }

    public uint Ssrc => _sequencer.Ssrc;

    public long FramesEncoded => Interlocked.Read(ref _framesEncoded);

    public long KeyframesEncoded => Interlocked.Read(ref _keyframesEncoded);

    /// <summary>Frames libvpx refused (e.g. a size it cannot encode); dropped and counted.</summary>
    public long EncoderFailures => Interlocked.Read(ref _encoderFailures);

    /// <summary>Bit rate the encoder is asked for (bit/s).</summary>
    public int TargetBitrate => Volatile.Read(ref _targetBitrate);

    /// <summary>Makes the next frame a keyframe (PLI/FIR). Any thread.</summary>
    public void RequestKeyframe() => Volatile.Write(ref _keyframeRequested, 1);

    /// <summary>Sets the encoder's bitrate from the next frame on. Any thread.</summary>
    public void SetTargetBitrate(int bitsPerSecond) => Volatile.Write(ref _targetBitrate, bitsPerSecond);

    /// <summary>Encodes one frame and returns its RTP packets in order (marker on the last); empty when nothing came out.</summary>
    public IReadOnlyList<RtpPacket> Encode(VideoFrame frame)
    {
        if (_encoder is null || _encoder.Options.Width != frame.Width || _encoder.Options.Height != frame.Height)
        {
            _encoder?.Dispose();
            _encoder = new Vp8Encoder(new Vp8EncoderOptions
            {
                Width = frame.Width,
                Height = frame.Height,
                TargetBitrateKbps = Math.Clamp(TargetBitrate / 1000, 30, 50_000),
            });
        }

        int kbps = Math.Clamp(TargetBitrate / 1000, 30, 50_000);
        if (kbps != _encoder.TargetBitrateKbps)
        {
            _encoder.SetTargetBitrateKbps(kbps);
        }

        if (Interlocked.Exchange(ref _keyframeRequested, 0) != 0)
        {
            _encoder.RequestKeyframe();
        }

        EncodedVideoFrame? encoded;
        try
        {
            encoded = _encoder.Encode(frame);
        }
        catch (VpxException)
        {
            Interlocked.Increment(ref _encoderFailures);
            return [];
        }

        if (encoded is null)
        {
            return [];
        }

        Interlocked.Increment(ref _framesEncoded);
        if (encoded.IsKeyframe)
        {
            Interlocked.Increment(ref _keyframesEncoded);
        }

        uint timestamp = RtpClock.ToRtpTimestamp(frame.MediaTimestamp, MediaClock.VideoRtpClockRate, _timestampOffset);
        var payloads = _packetizer.Packetize(encoded.Data);
        var packets = new RtpPacket[payloads.Count];
        for (int i = 0; i < payloads.Count; i++)
        {
            // RFC 7741 §4.1: the marker bit ends the frame.
            packets[i] = _sequencer.Next(payloads[i], timestamp, marker: i == payloads.Count - 1);
        }

        return packets;
    }

    public void Dispose() => _encoder?.Dispose();
}
