using Microsoft.Extensions.Logging;

namespace RealtimeHead.Cli.Commands;

/// <summary>
/// Log lines for a command-line tool: "warning: …" / "info: …" on one writer (stderr), nothing below
/// <paramref name="minimum"/>. Writes are serialised so lines from other threads do not interleave.
/// </summary>
internal sealed class WriterLogger(TextWriter output, LogLevel minimum = LogLevel.Information) : ILogger
{
    private readonly Lock gate = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var prefix = logLevel switch
        {
            LogLevel.Warning => "warning",
            LogLevel.Error or LogLevel.Critical => "error",
            LogLevel.Information => "info",
            _ => "debug",
        };
        lock (gate)
        {
            output.WriteLine($"{prefix}: {formatter(state, exception)}");
        }
    }
}
