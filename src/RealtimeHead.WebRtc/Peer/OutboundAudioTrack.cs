using RealtimeHead.Codecs.Opus;
using RealtimeHead.Media;
using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Peer;

/// <summary>
/// The avatar's voice: 48 kHz PCM of any block size → 20 ms Opus packets (mono; stereo input is averaged)
/// → RTP with a 48 kHz timestamp from the samples' media position. A block that does not continue the
/// previous one (a gap or overlap on the media clock) starts a new talkspurt: the partial packet is
/// dropped and the next packet carries the marker bit (RFC 3551 §4.1). One audio task calls <see cref="Encode"/>.
/// </summary>
internal sealed class OutboundAudioTrack : IDisposable
{
    private readonly RtpPacketSequencer _sequencer;
    private readonly OpusEncoder _encoder;
    private readonly uint _timestampOffset;
    private readonly short[] _pending = new short[OpusEncoder.SamplesPerFrame];
    private readonly byte[] _packet = new byte[OpusEncoder.MaxPacketSize];
    private int _pendingCount;
    private long _pendingStart;
    private bool _talkspurtStart = true;
    private long _packetsEncoded;
    private long _discontinuities;

    public OutboundAudioTrack(uint ssrc, byte payloadType, uint timestampOffset, int bitrate)
    {
        _sequencer = new RtpPacketSequencer(ssrc, payloadType, (ushort)Random.Shared.Next(0x10000));
        _timestampOffset = timestampOffset;
        _encoder = new OpusEncoder(new OpusEncoderOptions { Channels = 1, Bitrate = bitrate });
    }

    public uint Ssrc => _sequencer.Ssrc;

    public long PacketsEncoded => Interlocked.Read(ref _packetsEncoded);

    /// <summary>Blocks that did not continue the previous one on the media clock.</summary>
    public long Discontinuities => Interlocked.Read(ref _discontinuities);

    /// <summary>Encodes what completes 20 ms packets; keeps the remainder for the next block.</summary>
    public IReadOnlyList<RtpPacket> Encode(AudioFrame frame)
    {
        if (_pendingCount > 0 && frame.MediaTimestamp != _pendingStart + _pendingCount)
        {
            Interlocked.Increment(ref _discontinuities);
            _pendingCount = 0;
            _talkspurtStart = true;
        }

        if (_pendingCount == 0)
        {
            _pendingStart = frame.MediaTimestamp;
        }

        List<RtpPacket>? packets = null;
        int channels = frame.Channels;
        int samples = frame.SampleCount;
        for (int i = 0; i < samples; i++)
        {
            _pending[_pendingCount++] = channels == 1
                ? frame.Samples[i]
                : (short)((frame.Samples[i * channels] + frame.Samples[(i * channels) + 1]) / 2);
            if (_pendingCount == _pending.Length)
            {
                int length = _encoder.Encode(_pending, _packet);
                uint timestamp = RtpClock.ToRtpTimestamp(_pendingStart, MediaClock.SampleRate, _timestampOffset);
                (packets ??= []).Add(_sequencer.Next(_packet.AsSpan(0, length).ToArray(), timestamp, _talkspurtStart));
                Interlocked.Increment(ref _packetsEncoded);
                _talkspurtStart = false;
                _pendingStart += _pendingCount;
                _pendingCount = 0;
            }
        }

        return packets ?? (IReadOnlyList<RtpPacket>)[];
    }

    public void Dispose() => _encoder.Dispose();
}
