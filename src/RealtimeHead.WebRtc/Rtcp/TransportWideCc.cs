using System.Buffers.Binary;

namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>Reception status of one packet in a transport-wide feedback message.</summary>
internal enum TwccStatus : byte
{
    NotReceived = 0,

    /// <summary>Received; delta fits one unsigned byte (0-63.75 ms).</summary>
    SmallDelta = 1,

    /// <summary>Received; delta is a signed 16-bit value (negative or large).</summary>
    LargeDelta = 2,
}

/// <summary>One packet's entry: its transport-wide sequence number, status and receive delta.</summary>
/// <param name="SequenceNumber">Transport-wide sequence number (RTP header extension).</param>
/// <param name="Status">Whether and how it was received.</param>
/// <param name="Delta">Receive time minus the previous received packet's (the first: minus the reference time), in 250 µs units.</param>
internal readonly record struct TwccPacketResult(ushort SequenceNumber, TwccStatus Status, int Delta)
{
    public const long DeltaTicks = TimeSpan.TicksPerMillisecond / 4;

    public TimeSpan DeltaTime => TimeSpan.FromTicks(Delta * DeltaTicks);
}

/// <summary>
/// Transport-wide congestion control feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1,
/// PT 205 FMT 15): per-packet arrival times for the sender's delay-based estimator. Serialization writes
/// only two-bit status vector chunks, which every receiver must accept.
/// </summary>
internal sealed class TransportWideCc : RtcpPacket
{
    private const int FixedLength = 16; // SSRCs, base sequence, status count, reference time, feedback count.

    public uint SenderSsrc { get; init; }

    public uint MediaSsrc { get; init; }

    public ushort BaseSequenceNumber { get; init; }

    /// <summary>Signed 24-bit reference time in multiples of 64 ms.</summary>
    public int ReferenceTime { get; init; }

    /// <summary>Counts feedback packets, so the sender can tell a lost one.</summary>
    public byte FeedbackPacketCount { get; init; }

    /// <summary>One entry per sequence number from <see cref="BaseSequenceNumber"/> on.</summary>
    public IReadOnlyList<TwccPacketResult> Packets { get; init; } = [];

    internal static bool TryParse(ReadOnlySpan<byte> body, out TransportWideCc packet)
    {
        packet = null!;
        if (body.Length < FixedLength)
        {
            return false;
        }

        var baseSequence = BinaryPrimitives.ReadUInt16BigEndian(body[8..]);
        int statusCount = BinaryPrimitives.ReadUInt16BigEndian(body[10..]);
        var reference = (body[12] << 16) | (body[13] << 8) | body[14];
        if ((reference & 0x800000) != 0)
        {
            reference |= unchecked((int)0xFF000000);
        }

        // §3.1.1: chunks until every status is known; the last chunk may describe more than needed.
        var statuses = new TwccStatus[statusCount];
        var known = 0;
        var offset = FixedLength;
        while (known < statusCount)
        {
            if (offset + 2 > body.Length)
            {
                return false;
            }

            var chunk = BinaryPrimitives.ReadUInt16BigEndian(body[offset..]);
            offset += 2;
            if ((chunk & 0x8000) == 0)
            {
                // §3.1.3 run length chunk: symbol (2 bits), run length (13 bits).
                var symbol = (TwccStatus)((chunk >> 13) & 0x03);
                var run = Math.Min(chunk & 0x1FFF, statusCount - known);
                statuses.AsSpan(known, run).Fill(symbol);
                known += run;
            }
            else if ((chunk & 0x4000) == 0)
            {
                // §3.1.4 status vector, 14 one-bit symbols: received (small delta) or not.
                for (var i = 0; i < 14 && known < statusCount; i++)
                {
                    statuses[known++] = (chunk & (1 << (13 - i))) != 0 ? TwccStatus.SmallDelta : TwccStatus.NotReceived;
                }
            }
            else
            {
                // §3.1.4 status vector, 7 two-bit symbols.
                for (var i = 0; i < 7 && known < statusCount; i++)
                {
                    statuses[known++] = (TwccStatus)((chunk >> (12 - (2 * i))) & 0x03);
                }
            }
        }

        var packets = new TwccPacketResult[statusCount];
        for (var i = 0; i < statusCount; i++)
        {
            var delta = 0;
            switch (statuses[i])
            {
                case TwccStatus.NotReceived:
                    break;
                case TwccStatus.SmallDelta:
                    if (offset + 1 > body.Length)
                    {
                        return false;
                    }

                    delta = body[offset++];
                    break;
                case TwccStatus.LargeDelta:
                    if (offset + 2 > body.Length)
                    {
                        return false;
                    }

                    delta = BinaryPrimitives.ReadInt16BigEndian(body[offset..]);
                    offset += 2;
                    break;
                default:
                    return false; // Symbol 3 is reserved.
            }

            packets[i] = new TwccPacketResult((ushort)(baseSequence + i), statuses[i], delta);
        }

        packet = new TransportWideCc
        {
            SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]),
            BaseSequenceNumber = baseSequence,
            ReferenceTime = reference,
            FeedbackPacketCount = body[15],
            Packets = packets,
        };
        return true;
    }

    private int UnpaddedLength
    {
        get
        {
            var length = RtcpHeader.Length + FixedLength + (((Packets.Count + 6) / 7) * 2);
            foreach (var result in Packets)
            {
                length += result.Status switch { TwccStatus.SmallDelta => 1, TwccStatus.LargeDelta => 2, _ => 0 };
            }

            return length;
        }
    }

    public override int GetSerializedLength() => Pad4(UnpaddedLength);

    public override int WriteTo(Span<byte> destination)
    {
        if (Packets.Count > ushort.MaxValue || ReferenceTime is < -0x800000 or > 0x7FFFFF)
        {
            throw new ArgumentException("TWCC holds at most 65535 statuses and a 24-bit reference time.");
        }

        var length = GetSerializedLength();
        RtcpHeader.Write(destination, RtcpFeedbackFormat.TransportWideCc, RtcpPacketType.TransportFeedback, length);
        destination[RtcpHeader.Length..length].Clear();
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SenderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], MediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], BaseSequenceNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)Packets.Count);
        destination[16] = (byte)(ReferenceTime >> 16);
        destination[17] = (byte)(ReferenceTime >> 8);
        destination[18] = (byte)ReferenceTime;
        destination[19] = FeedbackPacketCount;
        var offset = RtcpHeader.Length + FixedLength;
        for (var start = 0; start < Packets.Count; start += 7)
        {
            var chunk = 0xC000;
            for (var i = 0; i < 7 && start + i < Packets.Count; i++)
            {
                chunk |= (int)Packets[start + i].Status << (12 - (2 * i));
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)chunk);
            offset += 2;
        }

        foreach (var result in Packets)
        {
            switch (result.Status)
            {
                case TwccStatus.SmallDelta when result.Delta is >= 0 and <= 255:
                    destination[offset++] = (byte)result.Delta;
                    break;
                case TwccStatus.LargeDelta when result.Delta is >= short.MinValue and <= short.MaxValue:
                    BinaryPrimitives.WriteInt16BigEndian(destination[offset..], (short)result.Delta);
                    offset += 2;
                    break;
                case TwccStatus.NotReceived:
                    break;
                default:
                    throw new ArgumentException($"TWCC delta {result.Delta} does not fit status {result.Status}.");
            }
        }

        return length;
    }
}
