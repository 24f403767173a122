namespace RealtimeHead.WebRtc.Sdp;

/// <summary>Media direction attributes (RFC 8866 §6.7), from the point of view of the side that writes them.</summary>
internal enum SdpMediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

internal static class SdpMediaDirections
{
    public static string ToAttributeName(this SdpMediaDirection direction) => direction switch
    {
        SdpMediaDirection.SendOnly => "sendonly",
        SdpMediaDirection.RecvOnly => "recvonly",
        SdpMediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    public static bool Sends(this SdpMediaDirection direction) => direction is SdpMediaDirection.SendRecv or SdpMediaDirection.SendOnly;

    public static bool Receives(this SdpMediaDirection direction) => direction is SdpMediaDirection.SendRecv or SdpMediaDirection.RecvOnly;

    /// <summary>The section's direction; sendrecv when none is given (RFC 8866 §6.7).</summary>
    public static SdpMediaDirection Of(SdpMediaDescription media) =>
        media.HasAttribute("inactive") ? SdpMediaDirection.Inactive
        : media.HasAttribute("sendonly") ? SdpMediaDirection.SendOnly
        : media.HasAttribute("recvonly") ? SdpMediaDirection.RecvOnly
        : SdpMediaDirection.SendRecv;

    /// <summary>
    /// RFC 3264 §6.1: the answer's direction is what we want intersected with the mirror of the offer's.
    /// </summary>
    public static SdpMediaDirection Answer(SdpMediaDirection offered, bool weSend, bool weReceive)
    {
        bool send = weSend && offered.Receives();
        bool receive = weReceive && offered.Sends();
        return (send, receive) switch
        {
            (true, true) => SdpMediaDirection.SendRecv,
            (true, false) => SdpMediaDirection.SendOnly,
            (false, true) => SdpMediaDirection.RecvOnly,
            _ => SdpMediaDirection.Inactive,
        };
    }
}
