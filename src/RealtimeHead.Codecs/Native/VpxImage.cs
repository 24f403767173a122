using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary>
/// <c>vpx_image_t</c> of libvpx 1.12 (vpx_image.h), 136 bytes on x86-64. Offsets checked by NativeLayoutTests.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal unsafe struct VpxImage
{
    public const int Size = 136;

    [FieldOffset(0)] public int Fmt;
    [FieldOffset(4)] public int Cs;
    [FieldOffset(8)] public int Range;
    [FieldOffset(12)] public uint W;
    [FieldOffset(16)] public uint H;
    [FieldOffset(20)] public uint BitDepth;
    [FieldOffset(24)] public uint DW;
    [FieldOffset(28)] public uint DH;
    [FieldOffset(32)] public uint RW;
    [FieldOffset(36)] public uint RH;
    [FieldOffset(40)] public uint XChromaShift;
    [FieldOffset(44)] public uint YChromaShift;
    [FieldOffset(48)] public byte* PlaneY;
    [FieldOffset(56)] public byte* PlaneU;
    [FieldOffset(64)] public byte* PlaneV;
    [FieldOffset(72)] public byte* PlaneAlpha;
    [FieldOffset(80)] public int StrideY;
    [FieldOffset(84)] public int StrideU;
    [FieldOffset(88)] public int StrideV;
    [FieldOffset(92)] public int StrideAlpha;
    [FieldOffset(96)] public int Bps;
}
