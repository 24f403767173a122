using System.Runtime.InteropServices;

namespace RealtimeHead.OnnxRuntime.Interop;

// One SafeHandle per native object kind, each releasing through its own OrtApi Release* entry, so a native object can
// never be freed while a call that uses it is in flight.

internal sealed class OrtEnvHandle : SafeHandle
{
    public OrtEnvHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    internal OrtEnvHandle(IntPtr handle) : this() => SetHandle(handle);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override unsafe bool ReleaseHandle() { OrtNative.Api.ReleaseEnv(handle); return true; }
}

internal sealed class OrtSessionHandle : SafeHandle
{
    public OrtSessionHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    internal OrtSessionHandle(IntPtr handle) : this() => SetHandle(handle);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override unsafe bool ReleaseHandle() { OrtNative.Api.ReleaseSession(handle); return true; }
}

internal sealed class OrtSessionOptionsHandle : SafeHandle
{
    public OrtSessionOptionsHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    internal OrtSessionOptionsHandle(IntPtr handle) : this() => SetHandle(handle);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override unsafe bool ReleaseHandle() { OrtNative.Api.ReleaseSessionOptions(handle); return true; }
}

internal sealed class OrtRunOptionsHandle : SafeHandle
{
    public OrtRunOptionsHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    internal OrtRunOptionsHandle(IntPtr handle) : this() => SetHandle(handle);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override unsafe bool ReleaseHandle() { OrtNative.Api.ReleaseRunOptions(handle); return true; }
}

internal sealed class OrtValueHandle : SafeHandle
{
    public OrtValueHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    internal OrtValueHandle(IntPtr handle) : this() => SetHandle(handle);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override unsafe bool ReleaseHandle() { OrtNative.Api.ReleaseValue(handle); return true; }
}

internal sealed class OrtMemoryInfoHandle : SafeHandle
{
    public OrtMemoryInfoHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    internal OrtMemoryInfoHandle(IntPtr handle) : this() => SetHandle(handle);
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override unsafe bool ReleaseHandle() { OrtNative.Api.ReleaseMemoryInfo(handle); return true; }
}
