using RealtimeHead.Testing.Native;
namespace RealtimeHead.Imaging.Tests.Native;

/// <summary>A fact that needs a C compiler and libpng's header; skipped with a reason otherwise.</summary>
public sealed class CcFactAttribute : FactAttribute
{
    public CcFactAttribute()
    {
        if (NativeHeaderProbe.FindCompiler() is null)
        {
            Skip = "No C compiler (cc) on PATH: install build-essential to check struct layouts against the headers.";
        }
        else if (!File.Exists("/usr/include/png.h") || !File.Exists("/usr/include/turbojpeg.h"))
        {
            Skip = "libpng-dev / libturbojpeg0-dev headers not installed under /usr/include.";
        }
    }
}
