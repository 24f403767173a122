using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// What each stage of a session is doing: waiting for input, working, or parked until a playout time. A stage marks
/// itself busy before it takes an item and idle only after it has forwarded it, so "every queue empty and no stage
/// busy or past its parking time" means nothing is left to do until the clock moves: how fake-clock tests know the
/// pipeline has settled, and what a stuck-stage diagnostic reads.
/// <para>
/// A parked stage is settled exactly while its timer has not fired: its deadline is only what it asked for. A relative
/// timer created a moment after the clock was read falls due later than the deadline whenever the clock moved in
/// between (another thread advancing a virtual clock, as a fake renderer does), and judging by the deadline then left
/// the stage "parked in the past" with its timer still pending: the driver waited for it to settle and never moved the
/// clock again (issue #6).
/// </para>
/// </summary>
internal sealed class StageActivity
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Parked = 2;
    private const int External = 3;
    private readonly int[] _state = new int[Enum.GetValues<PipelineStage>().Length];
    private readonly long[] _parkedUntil = new long[Enum.GetValues<PipelineStage>().Length];
    private readonly Task?[] _parkedOn = new Task?[Enum.GetValues<PipelineStage>().Length];

    public void MarkBusy(PipelineStage stage) => Volatile.Write(ref _state[(int)stage], Busy);

    public void MarkIdle(PipelineStage stage) => Volatile.Write(ref _state[(int)stage], Idle);

    /// <summary>
    /// The stage sleeps on <paramref name="wake"/> (its timer, already created) until <paramref name="until"/> (a
    /// <see cref="TimeProvider"/> timestamp, for diagnostics).
    /// </summary>
    public void MarkParked(PipelineStage stage, long until, Task wake)
    {
        Volatile.Write(ref _parkedUntil[(int)stage], until);
        Volatile.Write(ref _parkedOn[(int)stage], wake);
        Volatile.Write(ref _state[(int)stage], Parked);
    }

    /// <summary>The deadline a parked stage asked for; 0 when it is not parked.</summary>
    public long ParkedUntil(PipelineStage stage) =>
        Volatile.Read(ref _state[(int)stage]) == Parked ? Volatile.Read(ref _parkedUntil[(int)stage]) : 0;

    /// <summary>The stage waits on the transport; its queue backing up is the transport's doing, not the pipeline's.</summary>
    public void MarkExternal(PipelineStage stage) => Volatile.Write(ref _state[(int)stage], External);

    public bool IsExternal(PipelineStage stage) => Volatile.Read(ref _state[(int)stage]) == External;

    /// <summary>Whether no stage has work it could do before the clock moves: none busy, no parked stage's timer fired.</summary>
    public bool IsSettled()
    {
        for (var i = 0; i < _state.Length; i++)
        {
            var state = Volatile.Read(ref _state[i]);
            if (state == Busy || (state == Parked && Volatile.Read(ref _parkedOn[i]) is not { IsCompleted: false }))
            {
                return false;
            }
        }

        return true;
    }
}
