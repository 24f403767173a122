using System.CommandLine;
using RealtimeHead.Cli;

// Ctrl+C cancels the command's token. Training then finishes its step and saves a checkpoint, which takes longer than
// System.CommandLine's default 2 s grace period.
var configuration = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(2) };
return await CliApplication.RunAsync(args, configuration).ConfigureAwait(false);
