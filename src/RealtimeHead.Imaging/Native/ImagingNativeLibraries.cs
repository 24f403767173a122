using System.Reflection;
using System.Runtime.InteropServices;

namespace RealtimeHead.Imaging.Native;

/// <summary>
/// The one <see cref="NativeLibrary.SetDllImportResolver"/> of this assembly: maps the logical names used by
/// the P/Invoke files to the exact Debian sonames, so an unversioned dev symlink to another ABI is never used
/// and only the runtime packages (libpng16-16, libturbojpeg0) need to be installed.
/// </summary>
internal static class ImagingNativeLibraries
{
    public const string Png = "png";
    public const string TurboJpeg = "turbojpeg";

    /// <summary>libpng 1.6 (Debian libpng16-16); <see cref="PngImage"/> is checked against its header.</summary>
    public const string PngSoname = "libpng16.so.16";

    /// <summary>libjpeg-turbo's TurboJPEG API (Debian libturbojpeg0).</summary>
    public const string TurboJpegSoname = "libturbojpeg.so.0";

    private static int registered;

    /// <summary>Installs the resolver once; SetDllImportResolver throws if called twice for an assembly.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            NativeLibrary.SetDllImportResolver(typeof(ImagingNativeLibraries).Assembly, Resolve);
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        var soname = libraryName switch
        {
            Png => PngSoname,
            TurboJpeg => TurboJpegSoname,
            _ => null,
        };

        // Zero lets the runtime fall back to its default probing and raise its usual DllNotFoundException.
        return soname is not null && NativeLibrary.TryLoad(soname, assembly, searchPath, out var handle) ? handle : 0;
    }
}
