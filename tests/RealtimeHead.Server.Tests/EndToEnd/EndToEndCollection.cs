namespace RealtimeHead.Server.Tests.EndToEnd;

/// <summary>
/// The end-to-end tests measure real-time frame rates in a browser: they run alone, after the assembly's parallel
/// tests, so the other test classes' hosts do not take the CPU they measure (on 2 cores, sharing it cost 2-3 fps).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndCollection
{
    public const string Name = "EndToEnd";
}
