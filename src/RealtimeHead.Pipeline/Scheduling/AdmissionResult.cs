namespace RealtimeHead.Pipeline.Scheduling;

/// <summary>Why admission control refused a session.</summary>
public enum AdmissionRefusalReason
{
    /// <summary>Admitted.</summary>
    None = 0,

    /// <summary><see cref="RenderSchedulerOptions.MaxSessions"/> sessions are already rendering.</summary>
    SessionLimit = 1,

    /// <summary>One more frame per tick would not fit in <see cref="RenderSchedulerOptions.MaxBatchSize"/>.</summary>
    BatchCapacity = 2,

    /// <summary>The measured render cost of one more frame per batch would exceed the per-frame budget.</summary>
    OverBudget = 3,

    /// <summary>A session with this id is already admitted.</summary>
    DuplicateSession = 4,

    /// <summary>The scheduler is shutting down.</summary>
    ShuttingDown = 5,
}

/// <summary>The answer of admission control; a refusal says why in words an operator can act on.</summary>
/// <param name="Reason"><see cref="AdmissionRefusalReason.None"/> when admitted.</param>
/// <param name="Message">What was decided and from which figures.</param>
public sealed record AdmissionResult(AdmissionRefusalReason Reason, string Message)
{
    /// <summary>Whether the session was (or would be) admitted.</summary>
    public bool Admitted => Reason == AdmissionRefusalReason.None;
}
