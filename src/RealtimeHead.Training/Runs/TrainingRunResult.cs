using RealtimeHead.Model.Training;
using RealtimeHead.Training.Data;

namespace RealtimeHead.Training.Runs;

/// <summary>What a <see cref="TrainingRun"/> did.</summary>
/// <param name="FirstStep">The first step this session ran (the checkpoint's step + 1 when resumed).</param>
/// <param name="LastStep">Steps completed at the end.</param>
/// <param name="Steps">Results of the steps this session ran, in order.</param>
/// <param name="LastCheckpoint">The newest checkpoint directory, or null.</param>
/// <param name="Problems">Corpus entries skipped.</param>
/// <param name="Cancelled">Stopped by the cancellation token (a checkpoint of the last step was saved).</param>
public sealed record TrainingRunResult(long FirstStep, long LastStep, IReadOnlyList<TrainingStepResult> Steps, string? LastCheckpoint,
    IReadOnlyList<CorpusProblem> Problems, bool Cancelled);
