namespace RealtimeHead.WebRtc.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
internal static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte ApplicationDefined = 204;

    /// <summary>Transport-layer feedback (RFC 4585 §6.2): NACK, transport-wide CC.</summary>
    public const byte TransportFeedback = 205;

    /// <summary>Payload-specific feedback (RFC 4585 §6.3): PLI, FIR, REMB.</summary>
    public const byte PayloadFeedback = 206;
}

/// <summary>Feedback message types (FMT) within 205 and 206.</summary>
internal static class RtcpFeedbackFormat
{
    /// <summary>RFC 4585 §6.2.1 (PT 205).</summary>
    public const byte GenericNack = 1;

    /// <summary>draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1 (PT 205).</summary>
    public const byte TransportWideCc = 15;

    /// <summary>RFC 4585 §6.3.1 (PT 206).</summary>
    public const byte PictureLossIndication = 1;

    /// <summary>RFC 5104 §4.3.1 (PT 206).</summary>
    public const byte FullIntraRequest = 4;

    /// <summary>RFC 4585 §6.4 application layer feedback, used by REMB (PT 206).</summary>
    public const byte ApplicationLayer = 15;
}
