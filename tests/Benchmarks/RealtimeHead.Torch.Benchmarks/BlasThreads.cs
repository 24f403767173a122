using System.Runtime.InteropServices;

namespace RealtimeHead.Torch.Benchmarks;

/// <summary>
/// Pins OpenBLAS's thread pool. <c>torch.set_num_threads</c> sizes libtorch's pool only; Debian's libtorch runs its
/// GEMMs in OpenBLAS (libblas.so.3 forwards to libopenblas.so.0), which otherwise uses every core whatever the setting.
/// The C++ baseline does the same through dlsym.
/// </summary>
internal static unsafe class BlasThreads
{
    private static readonly delegate* unmanaged<int, void> s_setNumThreads = Find();

    /// <summary>Sets OpenBLAS's thread count; false where libtorch does not use OpenBLAS.</summary>
    public static bool TrySet(int threads)
    {
        if (s_setNumThreads == null) return false;
        s_setNumThreads(threads);
        return true;
    }

    private static delegate* unmanaged<int, void> Find()
    {
        // libtorch has loaded it already (through libblas.so.3): this returns the same instance.
        if (!NativeLibrary.TryLoad("libopenblas.so.0", out var library)) return null;
        return NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out var export) ? (delegate* unmanaged<int, void>)export : null;
    }
}
