namespace RealtimeHead.Server.Web;

/// <summary>Finds the built web client's folder (<see cref="WebOptions.Root"/>, or web/dist above the content root).</summary>
internal static class WebClientRoot
{
    /// <summary>The folder <c>npm run build</c> writes, relative to the repository root.</summary>
    public static readonly string BuiltFolder = Path.Combine("web", "dist");

    /// <summary>The page that marks a folder as a built client.</summary>
    public const string IndexPage = "index.html";

    /// <summary>
    /// The configured root (relative paths resolve against <paramref name="contentRoot"/>), or the first
    /// <c>web/dist</c> with an index.html in <paramref name="contentRoot"/>, <paramref name="baseDirectory"/> or one of
    /// their ancestors. <paramref name="searched"/> lists where it looked, for the warning when nothing is found.
    /// </summary>
    public static string? Resolve(string? configured, string contentRoot, string baseDirectory, out IReadOnlyList<string> searched)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(configured, contentRoot);
            searched = [path];
            return File.Exists(Path.Combine(path, IndexPage)) ? path : null;
        }

        var candidates = new List<string>();
        foreach (var start in new[] { contentRoot, baseDirectory })
        {
            for (var directory = new DirectoryInfo(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, BuiltFolder);
                if (candidates.Contains(candidate, StringComparer.Ordinal))
                {
                    continue;
                }

                candidates.Add(candidate);
                if (File.Exists(Path.Combine(candidate, IndexPage)))
                {
                    searched = candidates;
                    return candidate;
                }
            }
        }

        searched = candidates;
        return null;
    }
}
