using RealtimeHead.Rendering;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Avatars;

/// <summary>
/// Encodes each avatar once (the renderer's per-portrait work) and shares the encoding among the sessions that use it.
/// Encodings are reference-counted: the cache holds one reference, each <see cref="PortraitLease"/> another; a deleted
/// avatar leaves the cache at once and its encoding is freed when the last session using it leaves.
/// </summary>
internal sealed class PortraitCache : IDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _encodeGate = new(1, 1);
    private readonly AvatarStore _avatars;
    private readonly RenderDevice _device;
    private bool _disposed;

    public PortraitCache(AvatarStore avatars, RenderDevice device)
    {
        _avatars = avatars;
        _device = device;
        _avatars.Deleted += Evict;
    }

    /// <summary>Encodings currently cached.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>A lease on the encoding of <paramref name="avatarId"/> (encoding it on first use), or null for an unknown avatar.</summary>
    public async Task<PortraitLease?> AcquireAsync(string avatarId, CancellationToken cancellationToken = default)
    {
        if (!_avatars.TryGet(avatarId, out _))
        {
            return null;
        }

        if (TryLease(avatarId) is { } cached)
        {
            return cached;
        }

        // One encode at a time: encoding runs beside the render thread, and two joins of one new avatar encode once.
        await _encodeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryLease(avatarId) is { } raced)
            {
                return raced;
            }

            var image = _avatars.LoadImage(avatarId);
            if (image is null)
            {
                return null;
            }

            var size = _device.Renderer.FrameSize;
            var rgb = PortraitImage.ToSquare(image, size);
            var encoding = await Task.Run(() => _device.Renderer.EncodePortrait(avatarId, rgb, size, size), cancellationToken).ConfigureAwait(false);
            var entry = new Entry(encoding);
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (!_avatars.TryGet(avatarId, out _))
                {
                    // Deleted while encoding: serve this session, do not cache.
                    return new PortraitLease(entry, this);
                }

                entry.References++;
                _entries[avatarId] = entry;
                return new PortraitLease(entry, this);
            }
        }
        finally
        {
            _encodeGate.Release();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var entry in _entries.Values)
            {
                ReleaseLocked(entry);
            }

            _entries.Clear();
        }

        _avatars.Deleted -= Evict;
        _encodeGate.Dispose();
    }

    internal void Release(Entry entry)
    {
        lock (_gate)
        {
            ReleaseLocked(entry);
        }
    }

    private PortraitLease? TryLease(string avatarId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(avatarId, out var entry))
            {
                entry.References++;
                return new PortraitLease(entry, this);
            }

            return null;
        }
    }

    private void Evict(string avatarId)
    {
        lock (_gate)
        {
            if (_entries.Remove(avatarId, out var entry))
            {
                ReleaseLocked(entry);
            }
        }
    }

    private static void ReleaseLocked(Entry entry)
    {
        if (--entry.References == 0)
        {
            entry.Encoding.Dispose();
        }
    }

    internal sealed class Entry(IPortraitEncoding encoding)
    {
        public IPortraitEncoding Encoding { get; } = encoding;

        /// <summary>Holders: the cache (while cached) and every lease. Guarded by the cache's lock.</summary>
        public int References { get; set; } = 1;
    }
}

/// <summary>One session's hold on a cached portrait encoding; disposing releases it (once).</summary>
internal sealed class PortraitLease : IDisposable
{
    private PortraitCache.Entry? _entry;
    private readonly PortraitCache _cache;

    internal PortraitLease(PortraitCache.Entry entry, PortraitCache cache)
    {
        _entry = entry;
        _cache = cache;
        Encoding = entry.Encoding;
    }

    public IPortraitEncoding Encoding { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _entry, null) is { } entry)
        {
            _cache.Release(entry);
        }
    }
}
