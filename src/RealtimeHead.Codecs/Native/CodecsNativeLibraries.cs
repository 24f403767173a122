using System.Reflection;
using System.Runtime.InteropServices;

namespace RealtimeHead.Codecs.Native;

/// <summary>
/// The one <see cref="NativeLibrary.SetDllImportResolver"/> of this assembly. It maps the logical library
/// names used by the P/Invoke files to the exact Debian sonames, so the runtime never picks up an unversioned
/// <c>libopus.so</c>/<c>libvpx.so</c> (dev symlinks that may point at another ABI) or fails when only the
/// runtime package is installed.
/// </summary>
internal static class CodecsNativeLibraries
{
    /// <summary>Logical name of libopus in <c>[LibraryImport]</c> attributes.</summary>
    public const string Opus = "opus";

    /// <summary>Logical name of libvpx in <c>[LibraryImport]</c> attributes.</summary>
    public const string Vpx = "vpx";

    /// <summary>libopus 1.3.1 (Debian libopus0).</summary>
    public const string OpusSoname = "libopus.so.0";

    /// <summary>libvpx 1.12 (Debian libvpx7); the struct layouts in this folder are checked against it.</summary>
    public const string VpxSoname = "libvpx.so.7";

    private static int registered;

    /// <summary>
    /// Installs the resolver once. Called from the static constructors of the P/Invoke classes, which run
    /// before their first native call. SetDllImportResolver throws if called twice for an assembly.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(CodecsNativeLibraries).Assembly, Resolve);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var soname = libraryName switch
        {
            Opus => OpusSoname,
            Vpx => VpxSoname,
            _ => null,
        };

        // Zero lets the runtime fall back to its default probing and raise its usual DllNotFoundException.
        return soname is not null && NativeLibrary.TryLoad(soname, assembly, searchPath, out var handle) ? handle : 0;
    }
}
