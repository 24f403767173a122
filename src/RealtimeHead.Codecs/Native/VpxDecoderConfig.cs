using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary><c>vpx_codec_dec_cfg_t</c> (vpx_decoder.h): threads, w, h; 12 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VpxDecoderConfig
{
    public uint Threads;
    public uint W;
    public uint H;
}
