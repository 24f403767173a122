using Microsoft.Extensions.Logging;

namespace RealtimeHead.Audio.Tests;

/// <summary>Records log events so tests can assert on their ids.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public List<(LogLevel Level, EventId Id, string Message)> Events { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Events.Add((logLevel, eventId, formatter(state, exception)));
}
