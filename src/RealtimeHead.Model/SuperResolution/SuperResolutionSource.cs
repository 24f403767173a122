using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.SuperResolution;

/// <summary>
/// The source branch of <see cref="SuperResolutionNetwork"/> for a batch of portraits: everything it computes from
/// I_src^full alone, so a streaming renderer computes it once per portrait. Owns its tensors.
/// </summary>
/// <param name="Image">I_src^full [B, 3, S, S] in [-1, 1] (the refinement also reads it directly).</param>
/// <param name="Full">Source features at S [B, h, S, S] (the full-resolution skip).</param>
/// <param name="Low">Source features at R [B, C, R, R].</param>
public sealed record SuperResolutionSource(Tensor Image, Tensor Full, Tensor Low) : IDisposable
{
    public long BatchSize => Image.size(0);

    /// <summary>Concatenates along the batch: [B_k, ...] → [ΣB_k, ...] (in the current dispose scope).</summary>
    public static SuperResolutionSource Concat(IReadOnlyList<SuperResolutionSource> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("nothing to concatenate", nameof(items));
        return new SuperResolutionSource(
            cat(items.Select(s => s.Image).ToArray(), 0),
            cat(items.Select(s => s.Full).ToArray(), 0),
            cat(items.Select(s => s.Low).ToArray(), 0));
    }

    /// <summary>Moves every tensor to the enclosing dispose scope.</summary>
    public SuperResolutionSource MoveToOuterDisposeScope()
    {
        Image.MoveToOuterDisposeScope();
        Full.MoveToOuterDisposeScope();
        Low.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Takes every tensor out of its dispose scope: the caller owns them.</summary>
    public SuperResolutionSource DetachFromDisposeScope()
    {
        Image.DetachFromDisposeScope();
        Full.DetachFromDisposeScope();
        Low.DetachFromDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Image.Dispose();
        Full.Dispose();
        Low.Dispose();
    }
}
