using Microsoft.Extensions.Logging;

namespace RealtimeHead.Model.Tests.Losses;

/// <summary>Records every log entry (event id, level, message) for assertions.</summary>
internal sealed class CapturingLogger : ILogger
{
    public List<(int eventId, LogLevel level, string message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((eventId.Id, logLevel, formatter(state, exception)));
}
