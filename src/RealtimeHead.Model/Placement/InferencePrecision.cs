namespace RealtimeHead.Model.Placement;

/// <summary>
/// The element type S3D-NeRF inference computes its layers in. Reduced precision casts the weights once when the model is
/// placed (<see cref="ModelPlacement"/>) and the inputs of every linear/convolutional component at its boundary; geometry
/// (rays, samples, the tri-plane frame), tri-plane look-ups and volume compositing stay fp32, and outputs come back as
/// fp32, so bf16's 8-bit mantissa never quantises a sample position or a transmittance product.
/// </summary>
public enum InferencePrecision
{
    /// <summary>fp32 everywhere: the default, and the only precision on the CPU.</summary>
    Float32 = 0,

    /// <summary>bfloat16 layers (fp32's range, 8 significant bits). CUDA only.</summary>
    BFloat16 = 1,

    /// <summary>IEEE half-precision layers (10 significant bits, range ±65504). CUDA only.</summary>
    Float16 = 2,
}
