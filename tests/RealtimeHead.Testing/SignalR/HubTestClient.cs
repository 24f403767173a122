using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace RealtimeHead.Testing.SignalR;

/// <summary>
/// SignalR's JSON hub protocol spoken by hand over a connected WebSocket (no .NET SignalR client is available here; the
/// server tests pass the test host's socket, the live-server benchmark a <see cref="ClientWebSocket"/>): the handshake
/// <c>{"protocol":"json","version":1}</c>, invocations (type 1) with ids, completions (type 3), server invocations
/// (type 1 from the server), pings (6, ignored) and close (7). Records are 0x1E-terminated. A direct WebSocket
/// connection skips negotiation, which the server allows.
/// </summary>
public sealed class HubTestClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly WebSocket _socket;
    private readonly TimeSpan _timeout;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<HubCompletion>> _pending = new();
    private readonly Channel<JsonElement> _serverInvocations = Channel.CreateUnbounded<JsonElement>();
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;
    private int _nextId;

    private HubTestClient(WebSocket socket, TimeSpan timeout) => (_socket, _timeout) = (socket, timeout);

    /// <summary>Completes with the close message's error (or null) when the server closes the connection.</summary>
    public Task<string?> Closed => _closed.Task;

    /// <summary>
    /// Completes the hub handshake on <paramref name="socket"/> (connected to the hub's URL) and starts receiving; every
    /// later wait (invocations, server messages) gives up after <paramref name="timeout"/> (default 10 s).
    /// </summary>
    public static async Task<HubTestClient> ConnectAsync(WebSocket socket, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        var hub = new HubTestClient(socket, timeout ?? TimeSpan.FromSeconds(10));
        using var handshakeTimeout = new CancellationTokenSource(hub._timeout);
        await hub.SendRawAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        var handshake = await hub.ReadRecordsAsync(handshakeTimeout.Token);
        using (var response = JsonDocument.Parse(handshake[0]))
        {
            if (response.RootElement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException("Handshake refused: " + error.GetString());
            }
        }

        hub._receiving = Task.Run(hub.ReceiveLoopAsync);
        return hub;
    }

    /// <summary>Invokes a hub method and waits for its completion.</summary>
    public async Task<HubCompletion> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<HubCompletion>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        var message = JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments });
        await SendRawAsync(message + RecordSeparator);
        return await completion.Task.WaitAsync(_timeout);
    }

    /// <summary>The next method the server invokes on this client.</summary>
    public async Task<JsonElement> NextServerInvocationAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? _timeout);
        return await _serverInvocations.Reader.ReadAsync(cancel.Token);
    }

    /// <summary>Sends <paramref name="text"/> as one text message (callers add the record separator); one send at a time.</summary>
    public async Task SendRawAsync(string text)
    {
        using var timeout = new CancellationTokenSource(_timeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException)
        {
        }

        if (_receiving is not null)
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private readonly StringBuilder _buffer = new();

    private async Task<List<string>> ReadRecordsAsync(CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var text = _buffer.ToString();
            if (text.Contains(RecordSeparator, StringComparison.Ordinal))
            {
                var last = text.LastIndexOf(RecordSeparator);
                _buffer.Clear().Append(text.AsSpan(last + 1));
                return [.. text[..last].Split(RecordSeparator)];
            }

            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("closed");
            }

            _buffer.Append(Encoding.UTF8.GetString(chunk, 0, result.Count));
        }
    }

    private async Task ReceiveLoopAsync()
    {
        string? closeError = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var record in await ReadRecordsAsync(_stop.Token))
                {
                    using var document = JsonDocument.Parse(record);
                    var message = document.RootElement.Clone();
                    switch (message.GetProperty("type").GetInt32())
                    {
                        case 1:
                            _serverInvocations.Writer.TryWrite(message);
                            break;
                        case 3:
                            var id = message.GetProperty("invocationId").GetString()!;
                            if (_pending.TryRemove(id, out var completion))
                            {
                                completion.TrySetResult(new HubCompletion(
                                    message.TryGetProperty("result", out var result) ? result : null,
                                    message.TryGetProperty("error", out var error) ? error.GetString() : null));
                            }

                            break;
                        case 7:
                            closeError = message.TryGetProperty("error", out var reason) ? reason.GetString() : null;
                            return;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or JsonException)
        {
        }
        finally
        {
            _closed.TrySetResult(closeError);
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new WebSocketException("The connection closed before the completion arrived."));
            }
        }
    }
}

/// <summary>A completion message: a result, or the error text (a HubException's message).</summary>
public sealed record HubCompletion(JsonElement? Result, string? Error)
{
    /// <summary>
    /// The reason code: SignalR sends a HubException as "An unexpected error occurred invoking 'X' on the server.
    /// HubException: {code}: {detail}", so the code is what follows "HubException: " up to the next colon.
    /// </summary>
    public string? ErrorCode
    {
        get
        {
            const string Marker = "HubException: ";
            var index = Error?.IndexOf(Marker, StringComparison.Ordinal) ?? -1;
            return index < 0 ? null : Error![(index + Marker.Length)..].Split(':', 2)[0];
        }
    }

    public JsonElement Value => Result ?? throw new InvalidOperationException($"The invocation failed: {Error}");
}
