using System.Text;
using RealtimeHead.Torch.Interop;

namespace RealtimeHead.Torch;

/// <summary>
/// An error raised inside libtorch (shape mismatch, wrong device, bad argument...). The C++ exception is caught
/// in the shim and its message is carried here: a libtorch failure never aborts the process.
/// </summary>
public sealed class TorchException : Exception
{
    public TorchException(string message) : base(message)
    {
    }

    public TorchException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Throws the error the last shim call on this thread recorded, if any (for calls whose null result is legal).</summary>
    internal static void ThrowIfPending()
    {
        var message = TakePending();
        if (message is not null) throw new TorchException(message);
    }

    /// <summary>Checks a handle returned by the shim: null means the call failed.</summary>
    internal static IntPtr CheckHandle(IntPtr handle)
    {
        if (handle == IntPtr.Zero) throw new TorchException(TakePending() ?? "libtorch call failed without a message");
        return handle;
    }

    /// <summary>Checks a status returned by the shim: negative means the call failed.</summary>
    internal static void CheckStatus(long status)
    {
        if (status < 0) throw new TorchException(TakePending() ?? "libtorch call failed without a message");
    }

    private static unsafe string? TakePending()
    {
        const int capacity = 8192;
        var buffer = stackalloc byte[capacity];
        var length = LibTorchShim.rh_take_error(buffer, capacity);
        return length == 0 ? null : Encoding.UTF8.GetString(buffer, (int)Math.Min(length, capacity - 1)).TrimEnd();
    }
}
