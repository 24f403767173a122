using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Server.Signalling;

namespace RealtimeHead.Server.Tests.Signalling;

public sealed class MouthToWireWindowTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ServiceProvider _otherHost = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public void Percentiles_NoMeasurement_AreNull()
    {
        using var window = new MouthToWireWindow(Factory(_services));

        Assert.Equal((null, null), window.Percentiles("s0"));
    }

    [Fact]
    public void Percentiles_OneToHundred_AreNearestRank()
    {
        using var window = new MouthToWireWindow(Factory(_services));
        for (var i = 60; i >= 1; i--)
        {
            window.Record("s1", i);
        }

        // Nearest rank over 60 values: p50 = the 30th smallest, p95 = the 57th.
        Assert.Equal((30.0, 57.0), window.Percentiles("s1"));
    }

    [Fact]
    public void Record_MoreThanCapacity_KeepsOnlyTheLatest()
    {
        using var window = new MouthToWireWindow(Factory(_services));
        for (var i = 0; i < MouthToWireWindow.Capacity; i++)
        {
            window.Record("s1", 1000);
        }

        for (var i = 0; i < MouthToWireWindow.Capacity; i++)
        {
            window.Record("s1", 80);
        }

        Assert.Equal((80.0, 80.0), window.Percentiles("s1"));
    }

    [Fact]
    public void Histogram_OfThisApplicationsMeter_IsRecordedPerSession()
    {
        using var window = new MouthToWireWindow(Factory(_services));
        using var meter = Factory(_services).Create(PipelineMetrics.MeterName);
        var histogram = meter.CreateHistogram<double>("realtimehead.pipeline.mouth_to_wire", "ms");
        using var otherMeter = Factory(_otherHost).Create(PipelineMetrics.MeterName);
        var otherHistogram = otherMeter.CreateHistogram<double>("realtimehead.pipeline.mouth_to_wire", "ms");

        histogram.Record(120, new KeyValuePair<string, object?>("session.id", "sA"));
        histogram.Record(140, new KeyValuePair<string, object?>("session.id", "sA"));
        histogram.Record(90, new KeyValuePair<string, object?>("session.id", "sB"));
        histogram.Record(500); // no session tag: nobody's
        otherHistogram.Record(999, new KeyValuePair<string, object?>("session.id", "sA"));

        Assert.Equal((120.0, 140.0), window.Percentiles("sA"));
        Assert.Equal((90.0, 90.0), window.Percentiles("sB"));
    }

    [Fact]
    public void Retain_DropsEndedSessions()
    {
        using var window = new MouthToWireWindow(Factory(_services));
        window.Record("live", 50);
        window.Record("ended", 70);

        window.Retain(new HashSet<string>(["live"]));

        Assert.Equal((50.0, 50.0), window.Percentiles("live"));
        Assert.Equal((null, null), window.Percentiles("ended"));
    }

    public void Dispose()
    {
        _services.Dispose();
        _otherHost.Dispose();
    }

    private static IMeterFactory Factory(ServiceProvider services) => services.GetRequiredService<IMeterFactory>();
}
