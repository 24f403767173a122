using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Tests.Tensors;

public sealed class TensorCreationTests
{
    [Fact]
    public void Tensor_FromManagedArray_RoundTripsValuesAndShape()
    {
        using var t = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);

        Assert.Equal(new long[] { 2, 3 }, t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        Assert.Equal(DeviceType.CPU, t.device_type);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, t.data<float>());
    }

    [Fact]
    public void Tensor_WrongElementCount_ThrowsNamingShape()
    {
        var error = Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3 }, [2, 2]));
        Assert.Contains("[2, 2]", error.Message);
    }

    [Fact]
    public void Data_WrongManagedType_ThrowsInsteadOfReinterpreting()
    {
        using var t = tensor(new long[] { 7, 8 });
        var error = Assert.Throws<InvalidOperationException>(() => t.data<float>());
        Assert.Contains("Int64", error.Message);
    }

    [Fact]
    public void ManualSeed_SameSeed_SameRandomValues()
    {
        manual_seed(1234);
        using var a = randn(4, 5);
        manual_seed(1234);
        using var b = randn(4, 5);
        manual_seed(4321);
        using var c = randn(4, 5);

        Assert.Equal(a.data<float>(), b.data<float>());
        Assert.NotEqual(a.data<float>(), c.data<float>());
    }

    [Fact]
    public void Rand_Values_AreInUnitInterval()
    {
        manual_seed(7);
        using var r = rand(10_000);
        var values = r.data<float>();
        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
        Assert.InRange(values.Average(), 0.48, 0.52);
    }

    [Fact]
    public void Arange_IntegerBounds_GivesInt64Sequence()
    {
        using var t = arange(2, 11, 3);
        Assert.Equal(ScalarType.Int64, t.dtype);
        Assert.Equal(new long[] { 2, 5, 8 }, t.data<long>());
    }

    [Fact]
    public void Linspace_IncludesBothEnds()
    {
        using var t = linspace(-1, 1, 5);
        Assert.Equal(new float[] { -1f, -0.5f, 0f, 0.5f, 1f }, t.data<float>());
    }

    [Fact]
    public void FullAndOnes_FillWithValue()
    {
        using var f = full([2, 2], 3.5);
        using var o = ones([3], ScalarType.Int32);
        Assert.Equal(new float[] { 3.5f, 3.5f, 3.5f, 3.5f }, f.data<float>());
        Assert.Equal(new[] { 1, 1, 1 }, o.data<int>());
    }

    [Fact]
    public void To_Float16AndBFloat16_RoundToTheirPrecision()
    {
        // 1 + 2^-9 is exact in float16 (10 mantissa bits) but rounds to 1 in bfloat16 (7 mantissa bits).
        var value = 1f + MathF.Pow(2, -9);
        using var t = tensor(new[] { value, 65504f });
        using var half = t.to(ScalarType.Float16);
        using var bf = t.to(ScalarType.BFloat16);
        using var halfBack = half.to(ScalarType.Float32);
        using var bfBack = bf.to(ScalarType.Float32);

        Assert.Equal(ScalarType.Float16, half.dtype);
        Assert.Equal(2, half.ElementSize);
        Assert.Equal(new[] { value, 65504f }, halfBack.data<float>());
        Assert.Equal(1f, bfBack.data<float>()[0]);
        Assert.Equal((Half)value, half.data<Half>()[0]);
    }

    [Fact]
    public void Item_ScalarTensor_ReturnsValue()
    {
        using var t = tensor(new[] { 2.5 });
        Assert.Equal(2.5, t.item<double>());
        Assert.Equal(2.5f, t.item<float>());
    }

    [Fact]
    public void SetNumThreads_IsReportedBack()
    {
        var previous = get_num_threads();
        try
        {
            set_num_threads(2);
            Assert.Equal(2, get_num_threads());
        }
        finally
        {
            set_num_threads(previous);
        }
    }

    [Fact]
    public void Device_Parse_UnderstandsCpuAndCudaIndices()
    {
        Assert.Equal(new Device(DeviceType.CUDA, 1), device("cuda:1"));
        Assert.Equal(DeviceType.CPU, device("cpu").type);
        Assert.Equal("cuda:0", CUDA.ToString());
        Assert.Throws<ArgumentException>(() => device("tpu"));
    }
}
