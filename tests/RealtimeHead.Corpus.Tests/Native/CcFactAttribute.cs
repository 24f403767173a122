using RealtimeHead.Testing.Native;
namespace RealtimeHead.Corpus.Tests.Native;

/// <summary>A fact that needs a C compiler and the espeak-ng headers; skipped with a reason otherwise.</summary>
public sealed class CcFactAttribute : FactAttribute
{
    public CcFactAttribute()
    {
        if (NativeHeaderProbe.FindCompiler() is null)
        {
            Skip = "No C compiler (cc) on PATH: install build-essential to check struct layouts against the headers.";
        }
        else if (!File.Exists("/usr/include/espeak-ng/speak_lib.h"))
        {
            Skip = "libespeak-ng-dev headers not installed under /usr/include/espeak-ng.";
        }
    }
}
