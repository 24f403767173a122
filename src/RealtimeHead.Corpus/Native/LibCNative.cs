using System.Reflection;
using System.Runtime.InteropServices;

namespace RealtimeHead.Corpus.Native;

/// <summary>
/// The C library's <c>srand</c> (<c>libc.so.6</c>). libespeak-ng draws from <c>rand()</c> while synthesising
/// (it imports rand@GLIBC_2.2.5), so <see cref="Speech.SpeechSynthesizer"/> reseeds it before each utterance
/// to make the samples reproducible. rand's state is process-wide; nothing else in this process relies on it.
/// </summary>
internal static partial class LibCNative
{
    private const string Name = "c";
    private const string Soname = "libc.so.6";

    static LibCNative() => NativeLibrary.SetDllImportResolver(typeof(LibCNative).Assembly, Resolve);

    [LibraryImport(Name)]
    public static partial void srand(uint seed);

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Name && NativeLibrary.TryLoad(Soname, assembly, searchPath, out var handle) ? handle : 0;
}
