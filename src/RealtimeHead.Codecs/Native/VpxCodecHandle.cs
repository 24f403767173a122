using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary>
/// Owns a native <c>vpx_codec_ctx_t</c> (56 bytes) followed by the codec's configuration struct, in one
/// native block. The config lives in native memory for the codec's lifetime because libvpx keeps the pointer
/// passed to <c>vpx_codec_*_init_ver</c>/<c>vpx_codec_enc_config_set</c> in <c>ctx-&gt;config</c>; managed
/// memory could move under it. Released with <c>vpx_codec_destroy</c> (harmless on a context whose init
/// failed: libvpx already tore it down and returns an error) and then freed.
/// </summary>
internal sealed unsafe class VpxCodecHandle : SafeHandle
{
    private VpxCodecHandle(nint memory)
        : base(0, ownsHandle: true) => SetHandle(memory);

    public override bool IsInvalid => handle == 0;

    /// <summary>Pointer to the configuration area that follows the context.</summary>
    public void* Config => (byte*)handle + VpxNative.CodecContextSize;

    /// <summary>Allocates a zeroed context with <paramref name="configSize"/> bytes of config space.</summary>
    public static VpxCodecHandle Allocate(int configSize) =>
        new((nint)NativeMemory.AllocZeroed((nuint)(VpxNative.CodecContextSize + configSize)));

    protected override bool ReleaseHandle()
    {
        _ = VpxNative.vpx_codec_destroy(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
