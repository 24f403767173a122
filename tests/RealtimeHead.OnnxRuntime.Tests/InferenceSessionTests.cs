namespace RealtimeHead.OnnxRuntime.Tests;

public sealed class InferenceSessionTests
{
    private static readonly float[] X = [1, 0, -1, 0.5f, 2, 3];   // [2, 3]

    private static float[] ExpectedAffine()
    {
        var y = new float[4];
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 2; c++)
            {
                var sum = TestModels.B[c];
                for (var k = 0; k < 3; k++) sum += X[r * 3 + k] * TestModels.W[k * 2 + c];
                y[r * 2 + c] = sum;
            }
        return y;
    }

    [Fact]
    public void Run_AffineModelFromBytes_ComputesMatMulPlusBias()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory((float[])X.Clone(), [2, 3]);
        using var outputs = session.Run(null, ["X"], [x], ["Y"]);

        var y = outputs[0];
        Assert.Equal(new OrtTensorTypeAndShapeInfo(TensorElementType.Float, [2, 2]).Shape, y.GetTensorTypeAndShape().Shape);
        Assert.Equal(TensorElementType.Float, y.GetTensorTypeAndShape().ElementDataType);
        Assert.Equal([-3.5f, -5f, 22f, 26f], y.GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal(ExpectedAffine(), y.GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Run_AffineModelFromFile_SameAsFromBytes()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rh-affine-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, TestModels.Affine());
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC };
            using var session = new InferenceSession(path, options);
            using var x = OrtValue.CreateTensorValueFromMemory((float[])X.Clone(), [2, 3]);
            using var outputs = session.Run(new RunOptions(), new Dictionary<string, OrtValue> { ["X"] = x }, ["Y"]);
            Assert.Equal(ExpectedAffine(), outputs[0].GetTensorDataAsSpan<float>().ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_PreallocatedOutput_WritesIntoCallerBuffer()
    {
        using var session = new InferenceSession(TestModels.Affine());
        var yBuffer = new float[4];
        using var x = OrtValue.CreateTensorValueFromMemory((float[])X.Clone(), [2, 3]);
        using var y = OrtValue.CreateTensorValueFromMemory(yBuffer, [2, 2]);
        session.Run(null, ["X"], [x], ["Y"], [y]);
        Assert.Equal(ExpectedAffine(), yBuffer);
    }

    [Fact]
    public void Run_InputArrayChangedBetweenRuns_SeesNewValues()
    {
        using var session = new InferenceSession(TestModels.Affine());
        var buffer = new float[3];
        using var x = OrtValue.CreateTensorValueFromMemory(buffer, [1, 3]);
        buffer[0] = 1;
        using (var first = session.Run(null, ["X"], [x], ["Y"]))
            Assert.Equal([1.5f, 1f], first[0].GetTensorDataAsSpan<float>().ToArray());
        buffer[0] = 0;
        buffer[2] = 1;
        using var second = session.Run(null, ["X"], [x], ["Y"]);
        Assert.Equal([5.5f, 5f], second[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Run_Int64Model_MultipliesElements()
    {
        using var session = new InferenceSession(TestModels.TimesThreeInt64());
        using var a = OrtValue.CreateTensorValueFromMemory(new long[] { 1, -2, 1L << 40 }, [3]);
        using var outputs = session.Run(null, ["A"], [a], ["Y"]);
        Assert.Equal([3L, -6L, 3L << 40], outputs[0].GetTensorDataAsSpan<long>().ToArray());
        Assert.Equal(TensorElementType.Int64, outputs[0].GetTensorTypeAndShape().ElementDataType);
    }

    [Fact]
    public void Metadata_AffineModel_ReportsNamesTypesAndSymbolicDims()
    {
        using var session = new InferenceSession(TestModels.Affine());
        Assert.Equal(["X"], session.InputNames);
        Assert.Equal(["Y"], session.OutputNames);
        var input = session.InputMetadata["X"];
        Assert.True(input.IsTensor);
        Assert.Equal(TensorElementType.Float, input.ElementDataType);
        Assert.Equal(typeof(float), input.ElementType);
        Assert.Equal([-1, 3], input.Dimensions);
        Assert.Equal(["batch", ""], input.SymbolicDimensions);
        Assert.Equal("Float[batch, 2]", session.OutputMetadata["Y"].ToString());
    }

    [Fact]
    public void Metadata_SileroModel_ReportsItsInterface()
    {
        using var session = new InferenceSession(TestModels.SileroPath);
        Assert.Equal(["input", "state", "sr"], session.InputNames);
        Assert.Equal(["output", "stateN"], session.OutputNames);
        Assert.Equal(TensorElementType.Float, session.InputMetadata["input"].ElementDataType);
        Assert.Equal(2, session.InputMetadata["input"].Dimensions.Length);
        Assert.Equal([2, -1, 128], session.InputMetadata["state"].Dimensions);
        Assert.Equal(TensorElementType.Int64, session.InputMetadata["sr"].ElementDataType);
        Assert.Empty(session.InputMetadata["sr"].Dimensions);
        Assert.Equal(TensorElementType.Float, session.OutputMetadata["output"].ElementDataType);
        Assert.Equal([-1, 1], session.OutputMetadata["output"].Dimensions);
        Assert.Equal(3, session.OutputMetadata["stateN"].Dimensions.Length);
    }

    [Fact]
    public void Constructor_MissingFile_ThrowsNoSuchFileNamingPath()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession("/nonexistent/model.onnx"));
        Assert.Equal(OrtErrorCode.NoSuchFile, error.ErrorCode);
        Assert.Contains("/nonexistent/model.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_CorruptBytes_ThrowsOnnxRuntimeException()
    {
        var garbage = new byte[256];
        new Random(7).NextBytes(garbage);
        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(garbage));
        Assert.NotEqual(OrtErrorCode.Ok, error.ErrorCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Constructor_TruncatedModel_ThrowsOnnxRuntimeException()
    {
        var model = TestModels.Affine();
        var error = Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(model[..(model.Length / 2)]));
        Assert.NotEqual(OrtErrorCode.Ok, error.ErrorCode);
    }

    [Fact]
    public void Constructor_CorruptFile_ThrowsOnnxRuntimeException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rh-corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf model");
        try
        {
            Assert.Throws<OnnxRuntimeException>(() => new InferenceSession(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Run_WrongInputName_ThrowsNamingTheInput()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory(new float[3], [1, 3]);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(null, ["Z"], [x], ["Y"]));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("Z", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongOutputName_Throws()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory(new float[3], [1, 3]);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(null, ["X"], [x], ["Nope"]));
        Assert.Contains("Nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongRank_Throws()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory(new float[3], [3]);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(null, ["X"], [x], ["Y"]));
        Assert.Contains("rank", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Run_WrongFixedDimension_Throws()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory(new float[4], [1, 4]);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(null, ["X"], [x], ["Y"]));
        Assert.Contains("dimension", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Run_WrongElementType_Throws()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory(new long[3], [1, 3]);
        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(null, ["X"], [x], ["Y"]));
        Assert.Contains("type", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Run_TerminateSet_ThrowsAndClearedRunsAgain()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory(new float[3], [1, 3]);
        using var runOptions = new RunOptions { LogId = "barge-in", LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, Terminate = true };
        Assert.Equal("barge-in", runOptions.LogId);
        Assert.Throws<OnnxRuntimeException>(() => session.Run(runOptions, ["X"], [x], ["Y"]));
        runOptions.Terminate = false;
        using var outputs = session.Run(runOptions, ["X"], [x], ["Y"]);
        Assert.Equal(TestModels.B, outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var session = new InferenceSession(TestModels.Affine());
        session.Dispose();
        using var x = OrtValue.CreateTensorValueFromMemory(new float[3], [1, 3]);
        Assert.Throws<ObjectDisposedException>(() => session.Run(null, ["X"], [x], ["Y"]));
    }

    [Fact]
    public void Run_MismatchedNameAndValueCounts_ThrowsArgument()
    {
        using var session = new InferenceSession(TestModels.Affine());
        using var x = OrtValue.CreateTensorValueFromMemory(new float[3], [1, 3]);
        Assert.Throws<ArgumentException>(() => session.Run(null, ["X", "W"], [x], ["Y"]));
    }
}
