using System.Collections.Concurrent;

namespace RealtimeHead.Server.Signalling;

/// <summary>
/// The hub connections that have joined a session (added on a successful Join, removed when the connection closes),
/// so per-session messages can be pushed without asking the session layer for a list. A connection whose session has
/// ended stays until it closes: it may join again.
/// </summary>
internal sealed class SessionConnections
{
    private readonly ConcurrentDictionary<string, byte> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Add(string connectionId) => _connections.TryAdd(connectionId, 0);

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>The connection ids at this moment.</summary>
    public string[] Snapshot() => [.. _connections.Keys];
}
