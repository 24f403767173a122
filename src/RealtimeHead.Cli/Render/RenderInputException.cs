namespace RealtimeHead.Cli.Render;

/// <summary>
/// An input of <c>realtimehead render</c> cannot be used: a missing or unreadable file, content of the wrong kind, a bad
/// value. The message names the argument and the file; <see cref="ExitCode"/> is 2 for usage errors, 1 otherwise.
/// </summary>
internal sealed class RenderInputException(string message, int exitCode = 1, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
