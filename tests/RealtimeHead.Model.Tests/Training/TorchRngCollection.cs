namespace RealtimeHead.Model.Tests.Training;

/// <summary>
/// Tests that compare two runs bit for bit draw from libtorch's global random generator; any test running beside them
/// would consume numbers from the same stream. This collection runs on its own, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRngCollection
{
    public const string Name = "Global torch RNG";
}
