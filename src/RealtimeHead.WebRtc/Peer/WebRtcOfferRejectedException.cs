namespace RealtimeHead.WebRtc.Peer;

/// <summary>
/// The browser's offer cannot be served by this endpoint. <see cref="Exception.Message"/> names what is
/// missing in words fit for the client; <see cref="Reason"/> is a stable code for metrics.
/// </summary>
public sealed class WebRtcOfferRejectedException : Exception
{
    public WebRtcOfferRejectedException(string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>
    /// Stable code: an SDP rejection (<c>Malformed</c>, <c>NoOpus</c>, <c>NoVp8</c>, <c>VideoNotReceivable</c>,
    /// <c>NoFingerprint</c>, <c>NoRtcpMux</c>, <c>NoIceCredentials</c>, <c>NoBundle</c>, <c>DtlsRoleConflict</c>)
    /// or <c>TooManySessions</c>.
    /// </summary>
    public string Reason { get; }
}
