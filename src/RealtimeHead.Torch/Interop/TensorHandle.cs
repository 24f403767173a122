using System.Runtime.InteropServices;

namespace RealtimeHead.Torch.Interop;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it drops libtorch's reference to the storage.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    private static long s_live;

    public TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle(handle);
        Interlocked.Increment(ref s_live);
    }

    /// <summary>Native tensors currently alive in this process (a leak detector for tests and metrics).</summary>
    public static long LiveCount => Interlocked.Read(ref s_live);

    /// <summary>Passed for an absent optional tensor (nullptr on the C side); never released.</summary>
    public static readonly TensorHandle Null = new();

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibTorchShim.rh_tensor_free(handle);
        Interlocked.Decrement(ref s_live);
        return true;
    }
}
