using System.Reflection;
using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime.Tests;

public sealed class OrtEnvTests
{
    [Fact]
    public void GetVersionString_BundledLibrary_Is1_30()
    {
        Assert.StartsWith("1.30.", OrtEnv.Instance().GetVersionString(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetAvailableProviders_BundledLibrary_ListsCpu()
    {
        Assert.Contains("CPUExecutionProvider", OrtEnv.Instance().GetAvailableProviders());
    }

    [Fact]
    public void Load_OverridePathMissing_ThrowsNamingThePath()
    {
        var error = Assert.Throws<DllNotFoundException>(() =>
            OrtNative.Load("/nonexistent/libonnxruntime.so.1", AppContext.BaseDirectory, Assembly.GetExecutingAssembly(), null));
        Assert.Contains("RH_ONNXRUNTIME_PATH", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/libonnxruntime.so.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingLibraryMessage_Always_NamesSetupScript()
    {
        var message = OrtNative.MissingLibraryMessage("/app");
        Assert.Contains("./setup.sh deps", message, StringComparison.Ordinal);
        Assert.Contains("libonnxruntime.so.1", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Library_CopiedBesideTests_Exists()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1")));
    }
}
