using RealtimeHead.Pipeline.Diagnostics;

namespace RealtimeHead.Pipeline.Stages;

/// <summary>
/// What each stage of a session is doing: waiting for input, working, or parked until a playout time. A stage marks
/// itself busy before it takes an item and idle only after it has forwarded it, so "every queue empty and no stage
/// busy or past its parking time" means nothing is left to do until the clock moves: how fake-clock tests know the
/// pipeline has settled, and what a stuck-stage diagnostic reads.
/// </summary>
internal sealed class StageActivity
{
    private const int Idle = 0;
    private const int Busy = 1;
    private const int Parked = 2;
    private const int External = 3;
    private readonly int[] _state = new int[Enum.GetValues<PipelineStage>().Length];
    private readonly long[] _parkedUntil = new long[Enum.GetValues<PipelineStage>().Length];

    public void MarkBusy(PipelineStage stage) => Volatile.Write(ref _state[(int)stage], Busy);

    public void MarkIdle(PipelineStage stage) => Volatile.Write(ref _state[(int)stage], Idle);

    /// <summary>The stage sleeps until <paramref name="until"/> (a <see cref="TimeProvider"/> timestamp).</summary>
    public void MarkParked(PipelineStage stage, long until)
    {
        Volatile.Write(ref _parkedUntil[(int)stage], until);
        Volatile.Write(ref _state[(int)stage], Parked);
    }

    /// <summary>The stage waits on the transport; its queue backing up is the transport's doing, not the pipeline's.</summary>
    public void MarkExternal(PipelineStage stage) => Volatile.Write(ref _state[(int)stage], External);

    public bool IsExternal(PipelineStage stage) => Volatile.Read(ref _state[(int)stage]) == External;

    /// <summary>Whether no stage has work it could do at <paramref name="now"/>.</summary>
    public bool IsSettled(long now)
    {
        for (var i = 0; i < _state.Length; i++)
        {
            var state = Volatile.Read(ref _state[i]);
            if (state == Busy || (state == Parked && Volatile.Read(ref _parkedUntil[i]) <= now))
            {
                return false;
            }
        }

        return true;
    }
}
