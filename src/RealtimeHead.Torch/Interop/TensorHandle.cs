using System.Runtime.InteropServices;

namespace RealtimeHead.Torch.Interop;

/// <summary>Owns one native <c>at::Tensor*</c>; releasing it drops libtorch's reference to the storage.</summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        LibTorchShim.rh_tensor_free(handle);
        return true;
    }
}
