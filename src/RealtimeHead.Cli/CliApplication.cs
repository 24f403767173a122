using System.CommandLine;
using RealtimeHead.Cli.Commands;

namespace RealtimeHead.Cli;

/// <summary>
/// The <c>realtimehead</c> command tree. Each feature area adds its subcommand here (<c>corpus</c>, <c>eval</c>;
/// <c>train</c> and <c>render</c> later).
/// </summary>
internal static class CliApplication
{
    public static RootCommand Build()
    {
        var root = new RootCommand("RealtimeHead: talking-head avatar tools.");
        var corpus = new Command("corpus", "Create and inspect talking-head training corpora.");
        corpus.Subcommands.Add(CorpusMakeCommand.Create());
        root.Subcommands.Add(corpus);
        root.Subcommands.Add(EvalCommand.Create());
        return root;
    }
}
