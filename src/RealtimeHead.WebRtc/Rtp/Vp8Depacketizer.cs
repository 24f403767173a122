namespace RealtimeHead.WebRtc.Rtp;

/// <summary>One reassembled VP8 frame.</summary>
/// <param name="Data">The encoded frame, descriptors removed.</param>
/// <param name="RtpTimestamp">RTP timestamp shared by the frame's packets.</param>
/// <param name="PictureId">Picture id from the descriptor, if the sender wrote one.</param>
/// <param name="IsKeyframe">RFC 7741 §4.3: P bit of the VP8 payload header is 0.</param>
internal sealed record Vp8Frame(byte[] Data, uint RtpTimestamp, ushort? PictureId, bool IsKeyframe);

/// <summary>
/// Reassembles VP8 frames from in-order RTP packets of one stream (RFC 7741 §4.4). A frame is complete when
/// its first packet (S = 1, PID = 0) through its marker packet arrived with consecutive sequence numbers;
/// a gap drops the frame and is counted. It does not reorder: put a jitter buffer in front for a lossy network.
/// Not thread-safe.
/// </summary>
internal sealed class Vp8Depacketizer
{
    private readonly SequenceUnwrapper _sequence = new();
    private readonly List<ReadOnlyMemory<byte>> _parts = [];
    private bool _assembling;
    private long _expected = -1;
    private uint _timestamp;
    private ushort? _pictureId;

    /// <summary>Frames handed out complete.</summary>
    public long FramesCompleted { get; private set; }

    /// <summary>Frames abandoned because a packet was missing.</summary>
    public long FramesDropped { get; private set; }

    /// <summary>Packets inferred missing from sequence gaps.</summary>
    public long MissingPackets { get; private set; }

    /// <summary>Packets whose VP8 descriptor could not be parsed.</summary>
    public long MalformedPackets { get; private set; }

    /// <summary>Adds a packet; returns a frame when this packet completes one.</summary>
    public Vp8Frame? Push(RtpPacket packet)
    {
        if (!Vp8PayloadDescriptor.TryParse(packet.Payload.Span, out var descriptor, out var descriptorLength))
        {
            MalformedPackets++;
            return null;
        }

        var sequence = _sequence.Unwrap(packet.SequenceNumber);
        if (_expected >= 0 && sequence < _expected)
        {
            // Late or duplicate packet: the frame it belonged to was already finished or dropped.
            return null;
        }

        if (_expected >= 0 && sequence > _expected)
        {
            MissingPackets += sequence - _expected;
            AbandonFrame();
        }

        _expected = sequence + 1;
        if (_assembling && packet.Timestamp != _timestamp)
        {
            // A new frame began although the previous one never saw its marker packet.
            AbandonFrame();
        }

        if (!_assembling)
        {
            if (!descriptor.IsFrameStart)
            {
                return null; // Middle of a frame whose start was lost: wait for the next start.
            }

            _assembling = true;
            _timestamp = packet.Timestamp;
            _pictureId = descriptor.PictureId;
            _parts.Clear();
        }

        _parts.Add(packet.Payload[descriptorLength..]);
        if (!packet.Marker)
        {
            return null;
        }

        var length = 0;
        foreach (var part in _parts)
        {
            length += part.Length;
        }

        var data = new byte[length];
        var offset = 0;
        foreach (var part in _parts)
        {
            part.Span.CopyTo(data.AsSpan(offset));
            offset += part.Length;
        }

        _parts.Clear();
        _assembling = false;
        FramesCompleted++;
        return new Vp8Frame(data, _timestamp, _pictureId, Vp8Packetizer.IsKeyframe(data));
    }

    private void AbandonFrame()
    {
        if (_assembling)
        {
            FramesDropped++;
            _assembling = false;
            _parts.Clear();
        }
    }
}
