using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Encoder;

/// <summary>
/// The multi-scale appearance tri-planes of one source image (S3D-NeRF Sec. 3.1), level 0 finest. Owns its tensors:
/// dispose it (or let the enclosing dispose scope collect them) when the frame is done.
/// </summary>
public sealed class TriPlanePyramid : IDisposable
{
    /// <param name="planes">Per level [B, 3, C, H_i, W_i]: planes xy, yz, xz of C channels each.</param>
    /// <param name="features">Per level the map F^i of Eq. 1 before the plane projection, [B, C_i, H_i, W_i].</param>
    public TriPlanePyramid(IReadOnlyList<Tensor> planes, IReadOnlyList<Tensor> features)
    {
        ArgumentNullException.ThrowIfNull(planes);
        ArgumentNullException.ThrowIfNull(features);
        if (planes.Count == 0) throw new ArgumentException("a pyramid needs at least one level", nameof(planes));
        if (features.Count != planes.Count)
        {
            throw new ArgumentException($"{planes.Count} plane levels but {features.Count} feature levels", nameof(features));
        }
        for (var i = 0; i < planes.Count; i++)
        {
            var shape = planes[i].shape;
            if (shape.Length != 5 || shape[1] != 3)
            {
                throw new ArgumentException($"level {i} planes must be [B, 3, C, H, W], got [{string.Join(", ", shape)}]", nameof(planes));
            }
        }
        Planes = planes;
        Features = features;
    }

    /// <summary>Per level [B, 3, C, H_i, W_i] (xy, yz, xz).</summary>
    public IReadOnlyList<Tensor> Planes { get; }

    /// <summary>Per level F^i [B, C_i, H_i, W_i]: the input of the slot-attention aggregation (Sec. 3.2).</summary>
    public IReadOnlyList<Tensor> Features { get; }

    public int Levels => Planes.Count;

    public long BatchSize => Planes[0].size(0);

    /// <summary>C: channels of one plane (the same at every level).</summary>
    public long PlaneChannels => Planes[0].size(2);

    public void Dispose()
    {
        foreach (var tensor in Planes) tensor.Dispose();
        foreach (var tensor in Features) tensor.Dispose();
    }
}
