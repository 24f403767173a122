namespace RealtimeHead.WebRtc.Sdp;

/// <summary>The outcome of answering an offer: the answer and negotiated parameters, or a typed rejection.</summary>
internal sealed class SdpNegotiationResult
{
    private SdpNegotiationResult(SdpSessionDescription? answer, NegotiatedSession? session, SdpRejectionReason reason, string? message)
    {
        Answer = answer;
        Session = session;
        Reason = reason;
        Message = message;
    }

    public bool IsAccepted => Reason == SdpRejectionReason.None;

    public SdpSessionDescription? Answer { get; }

    /// <summary>The answer's SDP text, CRLF line ends.</summary>
    public string? AnswerSdp => Answer?.ToString();

    public NegotiatedSession? Session { get; }

    public SdpRejectionReason Reason { get; }

    /// <summary>For a rejection: what the offer lacks, in words fit for the client's error message.</summary>
    public string? Message { get; }

    public static SdpNegotiationResult Accepted(SdpSessionDescription answer, NegotiatedSession session) =>
        new(answer, session, SdpRejectionReason.None, null);

    public static SdpNegotiationResult Rejected(SdpRejectionReason reason, string message) => new(null, null, reason, message);

    /// <summary>The negotiated session, or <see cref="SdpOfferRejectedException"/> with the rejection message.</summary>
    public NegotiatedSession EnsureAccepted() =>
        IsAccepted ? Session! : throw new SdpOfferRejectedException(Reason, Message!);
}
