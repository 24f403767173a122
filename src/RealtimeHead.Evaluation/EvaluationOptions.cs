namespace RealtimeHead.Evaluation;

/// <summary>Options of <see cref="Evaluator"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Held-out clips to evaluate, in [1, 100,000] (default 8; the first ones in manifest order).</summary>
    public int Clips { get; init; } = 8;

    /// <summary>Most frames per clip, in [5, 1,000,000] or null for all (default null).</summary>
    public int? MaxFramesPerClip { get; init; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Clips is < 1 or > 100_000) errors.Add($"Clips must be in [1, 100000], got {Clips}");
        if (MaxFramesPerClip is < 5 or > 1_000_000) errors.Add($"MaxFramesPerClip must be in [5, 1000000], got {MaxFramesPerClip}");
        return errors;
    }
}
