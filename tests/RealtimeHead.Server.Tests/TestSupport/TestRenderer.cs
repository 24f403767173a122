using RealtimeHead.Rendering;

namespace RealtimeHead.Server.Tests.TestSupport;

/// <summary>
/// A renderer for tests where the model is not the subject: grey frames, counts encodings, renders and disposals so
/// tests can assert that every portrait encoding is returned.
/// </summary>
internal sealed class TestRenderer : ITalkingHeadRenderer
{
    private int _encoded;
    private int _released;
    private long _frames;

    public int FrameSize { get; init; } = 32;

    public int AudioWindowFrames { get; init; } = 16;

    public int AudioFeatureDim { get; init; } = 80;

    public int Encoded => Volatile.Read(ref _encoded);

    public int Released => Volatile.Read(ref _released);

    public long FramesRendered => Interlocked.Read(ref _frames);

    public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height)
    {
        if (width != FrameSize || height != FrameSize || rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"expected {FrameSize}x{FrameSize}, got {width}x{height}");
        }

        Interlocked.Increment(ref _encoded);
        return new Portrait(portraitId, this);
    }

    public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch)
    {
        Interlocked.Add(ref _frames, batch.Count);
        return [.. batch.Select(_ => new RenderedFrame(Enumerable.Repeat((byte)128, FrameSize * FrameSize * 3).ToArray(), FrameSize, FrameSize))];
    }

    public void Dispose()
    {
    }

    private sealed class Portrait(string id, TestRenderer owner) : IPortraitEncoding
    {
        private int _disposed;

        public string PortraitId { get; } = id;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Increment(ref owner._released);
            }
        }
    }
}
