using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary>
/// <c>vpx_codec_cx_pkt_t</c> of libvpx 1.12 (vpx_encoder.h), 136 bytes on x86-64, with the
/// <c>data.frame</c> arm of its union. Offsets checked by NativeLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct VpxCodecCxPacket
{
    public const int Size = 136;

    [FieldOffset(0)] public int Kind;
    [FieldOffset(8)] public byte* FrameBuf;
    [FieldOffset(16)] public nuint FrameSize;
    [FieldOffset(24)] public long FramePts;
    [FieldOffset(32)] public nuint FrameDuration;
    [FieldOffset(40)] public uint FrameFlags;
    [FieldOffset(44)] public int FramePartitionId;
}
