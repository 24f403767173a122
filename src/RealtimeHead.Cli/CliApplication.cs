using System.CommandLine;
using RealtimeHead.Cli.Commands;
using RealtimeHead.Cli.Render;

namespace RealtimeHead.Cli;

/// <summary>
/// The <c>realtimehead</c> command tree. Each feature area adds its subcommand here (<c>corpus</c>, <c>render</c>,
/// <c>train</c>, <c>eval</c>).
/// </summary>
internal static class CliApplication
{
    /// <summary>Exit code of usage errors (unknown option, missing or malformed value).</summary>
    public const int UsageError = 2;

    /// <param name="renderModels">Loads <c>render</c>'s model; null for the bundled S3D-NeRF models (tests pass fakes).</param>
    public static RootCommand Build(RenderModelFactory? renderModels = null)
    {
        var root = new RootCommand("RealtimeHead: talking-head avatar tools.");
        var corpus = new Command("corpus", "Create and inspect talking-head training corpora.");
        corpus.Subcommands.Add(CorpusMakeCommand.Create());
        root.Subcommands.Add(corpus);
        root.Subcommands.Add(RenderCommand.Create(renderModels ?? DefaultRenderModels.Create));
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; parse errors are reported as System.CommandLine does, with exit code 2.</summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration? configuration = null, RenderModelFactory? renderModels = null,
        CancellationToken cancellationToken = default)
    {
        var parse = Build(renderModels).Parse(args);
        var code = await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        return parse.Errors.Count > 0 && code != 0 ? UsageError : code;
    }
}
