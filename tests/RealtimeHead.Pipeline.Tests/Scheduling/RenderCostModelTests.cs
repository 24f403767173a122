using RealtimeHead.Pipeline.Scheduling;

namespace RealtimeHead.Pipeline.Tests.Scheduling;

public sealed class RenderCostModelTests
{
    [Fact]
    public void Predict_NothingMeasured_IsZero() =>
        Assert.Equal(0, new RenderCostModel(8, 0.5, 0.6).Predict(DegradationLevel.Full, 4));

    [Fact]
    public void Observe_Ewma_MovesByAlpha()
    {
        var model = new RenderCostModel(8, 0.5, 0.6);
        model.Observe(DegradationLevel.Full, 2, 10);
        model.Observe(DegradationLevel.Full, 2, 20);

        Assert.Equal(15, model.Predict(DegradationLevel.Full, 2));
    }

    [Fact]
    public void Predict_LargerBatchThanMeasured_ScalesProportionally()
    {
        var model = new RenderCostModel(8, 1, 0.6);
        model.Observe(DegradationLevel.Full, 2, 20);

        Assert.Equal(40, model.Predict(DegradationLevel.Full, 4));
        Assert.Equal(20, model.Predict(DegradationLevel.Full, 1)); // smaller: the larger batch's cost bounds it
    }

    [Fact]
    public void Predict_UnmeasuredRung_DerivesFromTheRungAbove()
    {
        var model = new RenderCostModel(8, 1, 0.5);
        model.Observe(DegradationLevel.Full, 3, 40);

        Assert.Equal(20, model.Predict(DegradationLevel.NoSuperResolution, 3));
        Assert.Equal(10, model.Predict(DegradationLevel.LowResolution, 3));
        Assert.Equal(0, model.Predict(DegradationLevel.RepeatLastFrame, 3));
    }

    [Fact]
    public void PredictStepUp_StaleFigureAbove_IsCappedByFreshFigureBelow()
    {
        var model = new RenderCostModel(8, 1, 0.5);
        model.Observe(DegradationLevel.Full, 2, 80);              // measured during an overload
        model.Observe(DegradationLevel.NoSuperResolution, 2, 10); // measured now, load gone

        Assert.Equal(20, model.PredictStepUp(DegradationLevel.NoSuperResolution, 2));
    }
}
