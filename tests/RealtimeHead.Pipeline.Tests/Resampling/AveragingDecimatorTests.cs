using RealtimeHead.Pipeline.Resampling;

namespace RealtimeHead.Pipeline.Tests.Resampling;

public sealed class AveragingDecimatorTests
{
    [Fact]
    public void Process_AcrossCallBoundaries_AveragesEachTriple()
    {
        var decimator = new AveragingDecimator();
        var output = new float[4];

        Assert.Equal(1, decimator.Process([3f, 6f, 9f, 1f], output));
        Assert.Equal(6f, output[0]);
        Assert.Equal(2, decimator.Process([2f, 3f, 0f, 0f, 3f], output));
        Assert.Equal([2f, 1f], output[..2]);
    }

    [Fact]
    public void Reset_DropsThePartialTriple()
    {
        var decimator = new AveragingDecimator();
        var output = new float[2];
        decimator.Process([9f, 9f], output);
        decimator.Reset();

        Assert.Equal(1, decimator.Process([3f, 3f, 3f], output));
        Assert.Equal(3f, output[0]);
    }
}
