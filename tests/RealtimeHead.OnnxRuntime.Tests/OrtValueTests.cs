namespace RealtimeHead.OnnxRuntime.Tests;

public sealed class OrtValueTests
{
    [Fact]
    public void CreateTensorValueFromMemory_ShapeAndBufferDisagree_Throws()
    {
        var error = Assert.Throws<OnnxRuntimeException>(() => OrtValue.CreateTensorValueFromMemory(new float[5], [2, 3]));
        Assert.Equal(OrtErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTensorValueFromMemory_NegativeDimension_Throws()
    {
        Assert.Throws<OnnxRuntimeException>(() => OrtValue.CreateTensorValueFromMemory(new float[2], [-1, 2]));
    }

    [Fact]
    public void CreateTensorValueFromMemory_Scalar_HasEmptyShapeAndOneElement()
    {
        using var value = OrtValue.CreateTensorValueFromMemory(new long[] { 16000 }, []);
        var info = value.GetTensorTypeAndShape();
        Assert.Empty(info.Shape);
        Assert.Equal(1, info.ElementCount);
        Assert.Equal(16000L, value.GetTensorDataAsSpan<long>()[0]);
        Assert.True(value.IsTensor);
        Assert.Equal(OnnxValueType.ONNX_TYPE_TENSOR, value.OnnxType);
    }

    [Fact]
    public void GetTensorDataAsSpan_WrongElementType_Throws()
    {
        using var value = OrtValue.CreateTensorValueFromMemory(new float[4], [4]);
        var error = Assert.Throws<OnnxRuntimeException>(() => value.GetTensorDataAsSpan<long>().Length);
        Assert.Contains("Float", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateAllocatedTensorValue_WritableThroughSpan()
    {
        using var value = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, [2, 2]);
        var span = value.GetTensorMutableDataAsSpan<float>();
        span.Fill(1.25f);
        Assert.Equal([1.25f, 1.25f, 1.25f, 1.25f], value.GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal([2L, 2L], value.GetTensorTypeAndShape().Shape);
    }

    [Fact]
    public void GetTensorMutableDataAsSpan_OverManagedArray_AliasesArray()
    {
        var data = new float[] { 1, 2, 3 };
        using var value = OrtValue.CreateTensorValueFromMemory(data, [3]);
        value.GetTensorMutableDataAsSpan<float>()[1] = 9;
        Assert.Equal(9, data[1]);
    }
}
