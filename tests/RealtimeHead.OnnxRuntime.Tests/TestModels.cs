using RealtimeHead.OnnxRuntime.Tests.Onnx;

namespace RealtimeHead.OnnxRuntime.Tests;

/// <summary>Small models the tests write themselves, and the repository's Silero VAD model.</summary>
internal static class TestModels
{
    internal static readonly float[] W = [1, 2, 3, 4, 5, 6];   // [3, 2]
    internal static readonly float[] B = [0.5f, -1];           // [2]

    /// <summary>Y[batch, 2] = X[batch, 3] · W[3, 2] + B[2]; W and B are initializers.</summary>
    internal static byte[] Affine() => new OnnxModelBuilder("affine")
        .Input("X", OnnxModelBuilder.Float, "batch", 3)
        .Initializer("W", W, 3, 2)
        .Initializer("B", B, 2)
        .Node("MatMul", ["X", "W"], ["XW"])
        .Node("Add", ["XW", "B"], ["Y"])
        .Output("Y", OnnxModelBuilder.Float, "batch", 2)
        .Build();

    /// <summary>Y[n] = A[n] * 3 for int64 elements.</summary>
    internal static byte[] TimesThreeInt64() => new OnnxModelBuilder("int64")
        .Input("A", OnnxModelBuilder.Int64, "n")
        .Initializer("Three", [3L], 1)
        .Node("Mul", ["A", "Three"], ["Y"])
        .Output("Y", OnnxModelBuilder.Int64, "n")
        .Build();

    /// <summary>The Silero VAD model that ./setup.sh deps fetched (artifacts/native/silero_vad.onnx).</summary>
    internal static string SileroPath
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "artifacts", "native", "silero_vad.onnx");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("artifacts/native/silero_vad.onnx not found above the test directory: run ./setup.sh deps.");
        }
    }
}
