using RealtimeHead.Evaluation.Sync;

namespace RealtimeHead.Evaluation.Tests.Sync;

public sealed class SyncTrainingOptionsTests
{
    [Fact]
    public void Validate_Defaults_NoErrors()
    {
        Assert.Empty(new SyncTrainingOptions().Validate());
    }

    [Fact]
    public void Validate_EveryValueOutOfRange_ReportsEachOnce()
    {
        var options = new SyncTrainingOptions
        {
            Steps = 0, BatchSize = 1, LearningRate = 0, Negatives = 0, Temperature = 2, MinFalseShift = 0, MaxFalseShift = 101,
        };

        var errors = options.Validate();

        Assert.Equal(7, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Negatives", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Temperature", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1, 0.01)]
    [InlineData(64, 1)]
    public void Validate_NegativesAndTemperatureAtTheirBounds_NoErrors(int negatives, double temperature)
    {
        Assert.Empty(new SyncTrainingOptions { Negatives = negatives, Temperature = temperature }.Validate());
    }
}
