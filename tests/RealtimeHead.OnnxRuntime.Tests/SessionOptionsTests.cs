namespace RealtimeHead.OnnxRuntime.Tests;

public sealed class SessionOptionsTests
{
    [Fact]
    public void Properties_Set_ReadBack()
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 2,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_PARALLEL,
        };
        Assert.Equal(2, options.IntraOpNumThreads);
        Assert.Equal(1, options.InterOpNumThreads);
        Assert.Equal(GraphOptimizationLevel.ORT_DISABLE_ALL, options.GraphOptimizationLevel);
        Assert.Equal(ExecutionMode.ORT_PARALLEL, options.ExecutionMode);
    }

    [Fact]
    public void IntraOpNumThreads_Negative_Throws()
    {
        using var options = new SessionOptions();
        Assert.Throws<ArgumentOutOfRangeException>(() => options.IntraOpNumThreads = -1);
    }

    [Fact]
    public void AppendExecutionProvider_CUDA_EnabledOrClearError()
    {
        using var options = new SessionOptions();
        if (options.TryAppendExecutionProvider_CUDA())
        {
            using var session = new InferenceSession(TestModels.Affine(), options);
            Assert.Equal(["X"], session.InputNames);
            return;
        }
        // onnxruntime-node 1.30.0 lists CUDA but ships without its provider library: the error says what is missing.
        using var other = new SessionOptions();
        var error = Assert.Throws<OnnxRuntimeException>(() => other.AppendExecutionProvider_CUDA());
        Assert.Contains("CUDA", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("libonnxruntime_providers_cuda.so", StringComparison.Ordinal)
            || error.Message.Contains("CPUExecutionProvider", StringComparison.Ordinal), error.Message);
    }
}
