using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RealtimeHead.Server.Benchmarks;

/// <summary>
/// The server's SignalR hub spoken by hand with the JSON hub protocol over a <see cref="ClientWebSocket"/> (no .NET
/// SignalR client is available here): handshake <c>{"protocol":"json","version":1}</c>, invocations (type 1) with ids,
/// completions (type 3); pings (6) and server invocations are ignored, close (7) fails what is pending. Records end in
/// 0x1E. A direct WebSocket connection skips negotiation, which the server allows.
/// </summary>
internal sealed class HubClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly StringBuilder _buffer = new();
    private Task? _receiving;
    private int _nextId;

    /// <summary>Connects to <paramref name="hub"/> (ws:// or wss://) and completes the handshake.</summary>
    public static async Task<HubClient> ConnectAsync(Uri hub, string? accessToken)
    {
        var client = new HubClient();
        var uri = accessToken is null ? hub : new Uri(hub + "?access_token=" + Uri.EscapeDataString(accessToken));
        using var timeout = new CancellationTokenSource(Timeout);
        await client._socket.ConnectAsync(uri, timeout.Token);
        await client.SendAsync("{\"protocol\":\"json\",\"version\":1}");
        var handshake = await client.ReadRecordsAsync(timeout.Token);
        using (var response = JsonDocument.Parse(handshake[0]))
        {
            if (response.RootElement.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException("The hub refused the handshake: " + error.GetString());
            }
        }

        client._receiving = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    /// <summary>Invokes <paramref name="target"/> and returns its result (null JSON for void methods); a refusal throws.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        await SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        return await completion.Task.WaitAsync(Timeout);
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

    private async Task SendAsync(string record)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _sendLock.WaitAsync(timeout.Token);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(record + RecordSeparator), WebSocketMessageType.Text, true, timeout.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task<List<string>> ReadRecordsAsync(CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var text = _buffer.ToString();
            var last = text.LastIndexOf(RecordSeparator);
            if (last >= 0)
            {
                _buffer.Clear().Append(text.AsSpan(last + 1));
                return [.. text[..last].Split(RecordSeparator)];
            }

            var result = await _socket.ReceiveAsync(chunk, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("The hub closed the connection.");
            }

            _buffer.Append(Encoding.UTF8.GetString(chunk, 0, result.Count));
        }
    }

    private async Task ReceiveLoopAsync()
    {
        string closeReason = "the connection closed";
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                foreach (var record in await ReadRecordsAsync(_stop.Token))
                {
                    using var document = JsonDocument.Parse(record);
                    var message = document.RootElement;
                    switch (message.GetProperty("type").GetInt32())
                    {
                        case 3:
                            if (_pending.TryRemove(message.GetProperty("invocationId").GetString()!, out var completion))
                            {
                                if (message.TryGetProperty("error", out var error))
                                {
                                    completion.TrySetException(new InvalidOperationException(error.GetString()));
                                }
                                else
                                {
                                    completion.TrySetResult(message.TryGetProperty("result", out var result) ? result.Clone() : default);
                                }
                            }

                            break;
                        case 7:
                            closeReason = message.TryGetProperty("error", out var reason) ? "closed: " + reason.GetString() : "closed";
                            return;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or JsonException)
        {
            closeReason = exception.Message;
        }
        finally
        {
            foreach (var pending in _pending.Values)
            {
                pending.TrySetException(new WebSocketException("The hub connection ended before the completion arrived: " + closeReason));
            }
        }
    }
}
