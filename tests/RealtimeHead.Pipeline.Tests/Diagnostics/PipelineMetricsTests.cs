using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using RealtimeHead.Pipeline.Diagnostics;
using RealtimeHead.Pipeline.Tests.TestSupport;

namespace RealtimeHead.Pipeline.Tests.Diagnostics;

public sealed class PipelineMetricsTests
{
    [Fact]
    public async Task Run_Speech_RecordsEveryInstrumentWithSessionAndStageTags()
    {
        await using var harness = new PipelineHarness();
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == harness.Metrics.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => measurements.Add((i.Name, v, ToDictionary(tags))));
        listener.Start();
        var (session, _) = harness.AddSession("m1");

        await harness.RunAsync(TimeSpan.FromSeconds(1.5), (_, t) => TestAudio.Speech(t), step: TimeSpan.FromMilliseconds(10));
        listener.RecordObservableInstruments();

        var stages = measurements.Where(m => m.Instrument == "realtimehead.pipeline.stage.duration")
            .Select(m => (string)m.Tags["stage"]!).Distinct().Order().ToList();
        Assert.Equal(["audio_out", "convert", "features", "inbound", "render", "render_queue", "resample", "send", "window"], stages);
        Assert.All(measurements.Where(m => m.Instrument == "realtimehead.pipeline.stage.duration"), m => Assert.Equal("m1", m.Tags["session.id"]));
        Assert.Equal(session.Stats.VideoFramesSent, measurements.Count(m => m.Instrument == "realtimehead.pipeline.video.frames"));
        Assert.Contains(measurements, m => m.Instrument == "realtimehead.pipeline.batch.size" && m.Value == 1);
        Assert.Single(measurements, m => m.Instrument == "realtimehead.pipeline.first_frame.time");
        Assert.Contains(measurements, m => m.Instrument == "realtimehead.pipeline.lip_offset");
        Assert.Contains(measurements, m => m.Instrument == "realtimehead.pipeline.mouth_to_wire" && m.Value > 80);
        Assert.Equal(7, measurements.Count(m => m.Instrument == "realtimehead.pipeline.queue.depth"));
        Assert.Contains(measurements, m => m.Instrument == "realtimehead.pipeline.av_delay" && m.Value > 0);
        Assert.Contains(measurements, m => m.Instrument == "realtimehead.pipeline.degradation.level" && m.Value == 0);
    }

    [Fact]
    public void RecordDrop_TagsStageAndReason()
    {
        using var metrics = new PipelineMetrics();
        var tags = new List<Dictionary<string, object?>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == metrics.Meter && instrument.Name == "realtimehead.pipeline.drops")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, t, _) => tags.Add(ToDictionary(t)));
        listener.Start();

        metrics.RecordDrop("s", PipelineStage.Convert, DropReason.OutputFull);

        Assert.Equal("convert", Assert.Single(tags)["stage"]);
        Assert.Equal("output_full", tags[0]["reason"]);
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
