namespace RealtimeHead.WebRtc.Ice;

/// <summary>The class of a STUN message (RFC 8489 §5: the C1/C0 bits).</summary>
internal enum StunMessageClass : byte
{
    Request = 0,
    Indication = 1,
    SuccessResponse = 2,
    ErrorResponse = 3,
}

/// <summary>STUN methods this stack knows by name; any 12-bit method still parses.</summary>
internal static class StunMethod
{
    /// <summary>Binding (RFC 8489 §18.2), the only method ICE uses.</summary>
    public const ushort Binding = 0x001;
}

/// <summary>A STUN message type: a 12-bit method and a 2-bit class interleaved in 14 bits (RFC 8489 §5).</summary>
internal readonly record struct StunMessageType(ushort Method, StunMessageClass Class)
{
    public static StunMessageType BindingRequest => new(StunMethod.Binding, StunMessageClass.Request);

    public static StunMessageType BindingSuccess => new(StunMethod.Binding, StunMessageClass.SuccessResponse);

    public static StunMessageType BindingError => new(StunMethod.Binding, StunMessageClass.ErrorResponse);

    public static StunMessageType BindingIndication => new(StunMethod.Binding, StunMessageClass.Indication);

    // RFC 8489 §5 figure 3: M11..M7 C1 M6..M4 C0 M3..M0.
    public ushort ToUInt16()
    {
        int m = Method & 0xFFF;
        int c = (int)Class;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
    }

    public static StunMessageType FromUInt16(ushort value)
    {
        int method = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80);
        int cls = ((value >> 4) & 1) | ((value >> 7) & 2);
        return new StunMessageType((ushort)method, (StunMessageClass)cls);
    }
}
