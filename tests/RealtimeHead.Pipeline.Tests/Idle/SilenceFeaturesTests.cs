using RealtimeHead.Pipeline.Idle;
using RealtimeHead.Pipeline.Tests.TestSupport;

namespace RealtimeHead.Pipeline.Tests.Idle;

public sealed class SilenceFeaturesTests
{
    [Fact]
    public void Measure_FeedsZerosAndResets()
    {
        var frontEnd = new EnergyFrontEnd();

        var silence = SilenceFeatures.Measure(frontEnd);

        Assert.Equal([0f, 0f], silence);
        Assert.Equal(1, frontEnd.ResetCount);
        Assert.Empty(frontEnd.Process(new float[100], 0)); // nothing of the measurement left buffered
    }
}
