using System.Reflection;
using RealtimeHead.OnnxRuntime.Interop;

namespace RealtimeHead.OnnxRuntime.Tests.Interop;

public sealed unsafe class OrtNativeTests
{
    [Fact]
    public void ApiTable_EveryIndexUsed_PointsAtAFunction()
    {
        var indices = typeof(OrtNative).GetFields(BindingFlags.Static | BindingFlags.NonPublic)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Index", StringComparison.Ordinal))
            .Select(f => (Name: f.Name, Index: (int)f.GetRawConstantValue()!))
            .ToList();
        Assert.True(indices.Count > 40);
        Assert.Equal(indices.Count, indices.Select(i => i.Index).Distinct().Count());
        var table = OrtNative.Api.Table;
        foreach (var (name, index) in indices) Assert.True(table[index] != IntPtr.Zero, $"{name} = {index} is null");
    }

    [Fact]
    public void ThrowIfError_StatusMadeByCreateStatus_CarriesCodeAndMessage()
    {
        // Exercises CreateStatus (0), GetErrorCode (1), GetErrorMessage (2) and ReleaseStatus (93) together.
        IntPtr status;
        fixed (byte* message = "bad thing\0"u8) status = OrtNative.Api.CreateStatus((int)OrtErrorCode.InvalidGraph, message);
        var error = Assert.Throws<OnnxRuntimeException>(() => OrtNative.ThrowIfError(status));
        Assert.Equal(OrtErrorCode.InvalidGraph, error.ErrorCode);
        Assert.Equal("[ErrorCode:InvalidGraph] bad thing", error.Message);
    }

    [Fact]
    public void ApiVersion_IsTheNewestTheLibraryImplements()
    {
        Assert.True(OrtNative.IsApiVersionSupported(OrtNative.ApiVersion));
        Assert.True(OrtNative.IsApiVersionSupported(1));
        Assert.False(OrtNative.IsApiVersionSupported(OrtNative.ApiVersion + 1));
    }

    [Fact]
    public void ThrowIfError_NullStatus_DoesNothing()
    {
        OrtNative.ThrowIfError(IntPtr.Zero);
        Assert.Equal(30u, OrtNative.ApiVersion);
    }
}
