namespace RealtimeHead.WebRtc.Rtp;

/// <summary>What one datagram on a multiplexed WebRTC port carries.</summary>
internal enum DatagramKind
{
    Unknown,
    Stun,
    Zrtp,
    Dtls,
    TurnChannel,
    Rtp,
    Rtcp,
}

/// <summary>
/// Demultiplexes one UDP port by the first byte (RFC 7983 §7) and splits RTP from RTCP by the second byte
/// (RFC 5761 §4: RTCP packet types 192-223 occupy RTP payload types 64-95 once the marker bit is masked).
/// It only classifies; each protocol's parser still validates the datagram.
/// </summary>
internal static class DatagramClassifier
{
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return DatagramKind.Unknown;
        }

        var first = datagram[0];
        return first switch
        {
            <= 3 => DatagramKind.Stun,
            >= 16 and <= 19 => DatagramKind.Zrtp,
            >= 20 and <= 63 => DatagramKind.Dtls,
            >= 64 and <= 79 => DatagramKind.TurnChannel,
            >= 128 and <= 191 when datagram.Length >= 2 => IsRtcpPayloadType(datagram[1]) ? DatagramKind.Rtcp : DatagramKind.Rtp,
            _ => DatagramKind.Unknown,
        };
    }

    /// <summary>RFC 5761 §4: the second byte with the marker bit masked falls in 64-95 for RTCP.</summary>
    public static bool IsRtcpPayloadType(byte secondByte) => (secondByte & 0x7F) is >= 64 and <= 95;
}
