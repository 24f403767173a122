using RealtimeHead.Rendering;

namespace RealtimeHead.Model.Inference;

/// <summary>
/// A portrait encoded once by <see cref="S3DNeRFInference.Encode"/>: its tri-planes, F_agg, the super-resolution source
/// branch and its pose, for a batch of one. Disposing it frees them; rendering a disposed encoding is an error.
/// </summary>
public sealed class PortraitEncoding : IPortraitEncoding
{
    private readonly PortraitFeatures _features;

    internal PortraitEncoding(string portraitId, PortraitFeatures features, object owner)
    {
        PortraitId = portraitId;
        _features = features;
        Owner = owner;
    }

    public string PortraitId { get; }

    /// <summary>The cached features (batch of one). Throws once disposed.</summary>
    public PortraitFeatures Features
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            return _features;
        }
    }

    public bool IsDisposed { get; private set; }

    /// <summary>The <see cref="S3DNeRFInference"/> that made it (an encoding only renders with its own model).</summary>
    internal object Owner { get; }

    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        _features.Dispose();
    }
}
