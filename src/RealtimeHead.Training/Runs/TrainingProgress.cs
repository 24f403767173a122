namespace RealtimeHead.Training.Runs;

/// <summary>Where a training run stands after a step.</summary>
/// <param name="Step">Steps completed.</param>
/// <param name="TotalSteps">The step the run stops at.</param>
/// <param name="StepsPerSecond">Throughput of this session so far (validation and checkpoints included).</param>
/// <param name="Elapsed">Wall time of the run, resumed sessions included.</param>
/// <param name="Remaining">Estimated time to the last step at the current throughput.</param>
/// <param name="Losses">The step's loss terms by name.</param>
/// <param name="Event">What else happened at this step ("checkpoint", "validation"), or null.</param>
public sealed record TrainingProgress(long Step, long TotalSteps, double StepsPerSecond, TimeSpan Elapsed, TimeSpan Remaining,
    IReadOnlyDictionary<string, double> Losses, string? Event = null);
