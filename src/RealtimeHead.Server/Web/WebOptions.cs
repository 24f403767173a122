namespace RealtimeHead.Server.Web;

/// <summary>The browser client (web/): where its built pages are and how often sessions get live statistics.</summary>
public sealed record WebOptions
{
    /// <summary>
    /// Folder of the built web client (<c>npm run build</c> in web/ writes <c>web/dist</c>). Empty (default) = the first
    /// <c>web/dist</c> holding an index.html found from the content root or the application folder upwards (the
    /// repository's, when the server runs from its build output). A missing folder is a logged warning and no pages,
    /// never a failed start: the hub and the APIs work without them.
    /// </summary>
    public string? Root { get; init; }

    /// <summary>
    /// How often each session's client receives a <c>Stats</c> message on the hub (fps, mouth-to-wire latency, lip
    /// offset, degradation level). Default 1 s; 100 ms – 1 min.
    /// </summary>
    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(1);

    internal static readonly TimeSpan MinStatsInterval = TimeSpan.FromMilliseconds(100);

    internal static readonly TimeSpan MaxStatsInterval = TimeSpan.FromMinutes(1);

    /// <summary>Adds a line per problem to <paramref name="errors"/> (the options validator lists every problem at once).</summary>
    internal static void Validate(WebOptions? web, string prefix, List<string> errors)
    {
        if (web is null)
        {
            errors.Add($"{prefix}Web is null; remove it for the defaults.");
            return;
        }

        if (web.StatsInterval < MinStatsInterval || web.StatsInterval > MaxStatsInterval)
        {
            errors.Add(FormattableString.Invariant(
                $"{prefix}Web:StatsInterval is {web.StatsInterval}; use 00:00:00.1 to 00:01:00 (default 00:00:01)."));
        }
    }
}
