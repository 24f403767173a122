using RealtimeHead.Testing.Native;
namespace RealtimeHead.Codecs.Tests.Native;

/// <summary>A fact that needs a C compiler and the libopus/libvpx headers; skipped with a reason otherwise.</summary>
public sealed class CcFactAttribute : FactAttribute
{
    public CcFactAttribute()
    {
        if (NativeHeaderProbe.FindCompiler() is null)
        {
            Skip = "No C compiler (cc) on PATH: install build-essential to check struct layouts against the headers.";
        }
        else if (!File.Exists("/usr/include/vpx/vpx_encoder.h") || !File.Exists("/usr/include/opus/opus.h"))
        {
            Skip = "libvpx-dev / libopus-dev headers not installed under /usr/include.";
        }
    }
}
