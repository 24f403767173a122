using RealtimeHead.Cli;

return await CliApplication.RunAsync(args).ConfigureAwait(false);
