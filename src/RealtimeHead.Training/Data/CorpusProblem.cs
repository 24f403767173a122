namespace RealtimeHead.Training.Data;

/// <summary>A corpus entry the loader skipped: the file (or clip folder) at fault and what is wrong with it.</summary>
/// <param name="Path">The file or folder that could not be used.</param>
/// <param name="Problem">What is wrong, in words.</param>
public sealed record CorpusProblem(string Path, string Problem)
{
    public override string ToString() => $"{Path}: {Problem}";
}
