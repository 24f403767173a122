using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Tests.TestSupport;

/// <summary>
/// A renderer that records every batch, costs what <see cref="Cost"/> says (by advancing the fake clock), can be
/// blocked, and paints each frame with the centre row's first feature (×100, clamped) so tests can read back which
/// window drew it. Low-resolution frames are half size.
/// </summary>
internal sealed class FakeRenderer(FakeTimeProvider? clock = null) : ITalkingHeadRenderer
{
    private readonly Lock _gate = new();
    private readonly List<IReadOnlyList<RenderRequest>> _batches = [];

    public int FrameSize { get; init; } = 16;

    public int AudioWindowFrames { get; init; } = 16;

    public int AudioFeatureDim { get; init; } = 2;

    /// <summary>
    /// Held while the renderer moves the clock. The driver holds it too while it moves the clock: two threads advancing
    /// one fake clock at once could each set "now", and time would go backwards.
    /// </summary>
    public Lock ClockGate { get; init; } = new();

    /// <summary>Simulated cost of a batch (size, quality).</summary>
    public Func<int, RenderQuality, TimeSpan>? Cost { get; set; }

    /// <summary>Render waits on this; reset it to block the render thread.</summary>
    public ManualResetEventSlim Gate { get; } = new(true);

    /// <summary>Set when a Render call has started.</summary>
    public ManualResetEventSlim Entered { get; } = new(false);

    public bool Throw { get; set; }

    public IReadOnlyList<IReadOnlyList<RenderRequest>> Batches
    {
        get
        {
            lock (_gate)
            {
                return _batches.ToList();
            }
        }
    }

    public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height) => new FakePortrait(portraitId);

    public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch)
    {
        Entered.Set();
        Gate.Wait();
        if (Cost is { } cost && clock is not null)
        {
            lock (ClockGate)
            {
                clock.Advance(cost(batch.Count, batch[0].Quality));
            }
        }

        lock (_gate)
        {
            _batches.Add(batch.ToList());
        }

        if (Throw)
        {
            throw new InvalidOperationException("Simulated render failure.");
        }

        return batch.Select(request =>
        {
            var size = request.Quality == RenderQuality.LowResolution ? FrameSize / 2 : FrameSize;
            var centre = request.AudioWindow[AudioWindowFrames / 2 * AudioFeatureDim];
            var rgb = new byte[size * size * 3];
            Array.Fill(rgb, (byte)Math.Clamp(centre * 100, 0, 255));
            return new RenderedFrame(rgb, size, size);
        }).ToList();
    }

    public void Dispose()
    {
        Gate.Set();
        Gate.Dispose();
        Entered.Dispose();
    }
}

internal sealed class FakePortrait(string id) : IPortraitEncoding
{
    public string PortraitId { get; } = id;

    public void Dispose()
    {
    }
}
