namespace RealtimeHead.WebRtc.Ice;

/// <summary>What the ICE-lite agent made of one inbound datagram.</summary>
internal enum IceCheckOutcome
{
    /// <summary>An authenticated Binding request; answered with a success response, consent refreshed.</summary>
    Accepted,

    /// <summary>As <see cref="Accepted"/>, and it carried USE-CANDIDATE: the remote endpoint is now selected.</summary>
    Nominated,

    /// <summary>A Binding request without USERNAME or MESSAGE-INTEGRITY; answered with 400 (RFC 8489 §9.1.3).</summary>
    BadRequest,

    /// <summary>Wrong USERNAME or MESSAGE-INTEGRITY; answered with 401 (RFC 8489 §9.1.3), consent not refreshed.</summary>
    Unauthorized,

    /// <summary>The peer also claims the controlled role; answered with 487 (RFC 8445 §7.3.1.1).</summary>
    RoleConflict,

    /// <summary>Valid STUN this agent has no use for (indications, responses, other methods); dropped.</summary>
    Ignored,

    /// <summary>Not a well-formed STUN message (or a bad FINGERPRINT); dropped.</summary>
    Malformed,
}

/// <summary>The agent's verdict and, when not null, the datagram to send back to the same remote endpoint.</summary>
internal readonly record struct IceCheckResult(IceCheckOutcome Outcome, byte[]? Response)
{
    /// <summary>True for authenticated checks: the caller may bind the remote endpoint to this session.</summary>
    public bool IsValidCheck => Outcome is IceCheckOutcome.Accepted or IceCheckOutcome.Nominated;
}
