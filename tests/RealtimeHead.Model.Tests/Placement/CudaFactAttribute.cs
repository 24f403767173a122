using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Placement;

/// <summary>
/// A fact that runs only where the loaded libtorch shim has CUDA and a GPU (a shim built against PyTorch's CUDA libtorch,
/// on a GPU machine); elsewhere it is reported as skipped with the reason. The same sources run on both.
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public const string Reason = "CUDA is not available: this libtorch shim has no CUDA support or the machine has no GPU";

    public CudaFactAttribute()
    {
        if (!IsAvailable) Skip = Reason;
    }

    public static bool IsAvailable { get; } = cuda.is_available();
}
