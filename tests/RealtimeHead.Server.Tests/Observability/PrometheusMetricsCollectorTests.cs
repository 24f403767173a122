using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RealtimeHead.Server.Observability;

namespace RealtimeHead.Server.Tests.Observability;

public sealed partial class PrometheusMetricsCollectorTests
{
    [Fact]
    public void Render_Counter_IsATotalPerLabelSet()
    {
        using var services = MeterServices();
        var factory = services.GetRequiredService<IMeterFactory>();
        var counter = factory.Create("RealtimeHead.Test").CreateCounter<long>("realtimehead.test.requests", "{request}", "Requests served.");
        using var collector = new PrometheusMetricsCollector(factory);

        counter.Add(2, new TagList { { "route", "/a" } });
        counter.Add(3, new TagList { { "route", "/a" } });
        counter.Add(1, new TagList { { "route", "/b\"q\\" } });
        var text = collector.Render();

        Assert.Contains("# HELP realtimehead_test_requests_total Requests served.\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE realtimehead_test_requests_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_requests_total{route=\"/a\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_requests_total{route=\"/b\\\"q\\\\\"} 1\n", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Fact]
    public void Render_Histogram_HasCumulativeBucketsSumAndCount()
    {
        using var services = MeterServices();
        var factory = services.GetRequiredService<IMeterFactory>();
        var histogram = factory.Create("RealtimeHead.Test").CreateHistogram<double>("realtimehead.test.latency", "ms", "Latency.");
        using var collector = new PrometheusMetricsCollector(factory);

        foreach (var value in new[] { 0.2, 3.0, 5.0, 40.0, 9000.0 })
        {
            histogram.Record(value, new TagList { { "stage", "render" } });
        }

        var text = collector.Render();

        Assert.Contains("# TYPE realtimehead_test_latency_milliseconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_bucket{stage=\"render\",le=\"0.5\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_bucket{stage=\"render\",le=\"2\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_bucket{stage=\"render\",le=\"5\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_bucket{stage=\"render\",le=\"50\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_bucket{stage=\"render\",le=\"5000\"} 4\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_bucket{stage=\"render\",le=\"+Inf\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_sum{stage=\"render\"} 9048.2\n", text, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_latency_milliseconds_count{stage=\"render\"} 5\n", text, StringComparison.Ordinal);
        AssertValidExposition(text);
    }

    [Fact]
    public void Render_ObservableGauge_ReadsTheCurrentValueAtEachScrape()
    {
        using var services = MeterServices();
        var factory = services.GetRequiredService<IMeterFactory>();
        var value = 3;
        factory.Create("RealtimeHead.Test").CreateObservableGauge("realtimehead.test.sessions", () => value, "{session}", "Open sessions.");
        using var collector = new PrometheusMetricsCollector(factory);

        var first = collector.Render();
        value = 7;
        var second = collector.Render();

        Assert.Contains("realtimehead_test_sessions 3\n", first, StringComparison.Ordinal);
        Assert.Contains("# TYPE realtimehead_test_sessions gauge\n", second, StringComparison.Ordinal);
        Assert.Contains("realtimehead_test_sessions 7\n", second, StringComparison.Ordinal);
        Assert.DoesNotContain("realtimehead_test_sessions 3\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OtherFactoriesAndForeignMeters_AreNotExported()
    {
        using var services = MeterServices();
        using var other = MeterServices();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var collector = new PrometheusMetricsCollector(factory);
        other.GetRequiredService<IMeterFactory>().Create("RealtimeHead.Test").CreateCounter<long>("realtimehead.test.elsewhere").Add(1);
        factory.Create("System.Net.Http").CreateCounter<long>("http.requests").Add(1);

        var text = collector.Render();

        Assert.DoesNotContain("elsewhere", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http_requests", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("realtimehead.pipeline.stage.duration", "ms", "realtimehead_pipeline_stage_duration_milliseconds")]
    [InlineData("realtimehead.server.session.duration", "s", "realtimehead_server_session_duration_seconds")]
    [InlineData("realtimehead.pipeline.batch.size", "{frame}", "realtimehead_pipeline_batch_size")]
    [InlineData("9lives-x", null, "_9lives_x")]
    public void MetricName_InstrumentNameAndUnit_FollowPrometheusConventions(string name, string? unit, string expected)
    {
        Assert.Equal(expected, PrometheusMetricsCollector.MetricName(name, unit));
    }

    /// <summary>Every line is a HELP/TYPE comment or a sample `name{labels} value` of the text format 0.0.4.</summary>
    internal static void AssertValidExposition(string text)
    {
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var typed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Assert.Matches(HelpLine(), line);
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var match = TypeLine().Match(line);
                Assert.True(match.Success, line);
                Assert.True(typed.Add(match.Groups[1].Value), $"TYPE repeated: {line}");
                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: {line}");
            var family = sample.Groups[1].Value;
            Assert.Contains(typed, t => family == t || family == t + "_bucket" || family == t + "_sum" || family == t + "_count");
        }
    }

    private static ServiceProvider MeterServices() => new ServiceCollection().AddMetrics().BuildServiceProvider();

    [GeneratedRegex(@"^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*=""([^""\\\n]|\\[\\""n])*"",?)*\})? (-?[0-9.eE+-]+|\+Inf|-Inf|NaN)$")]
    private static partial Regex SampleLine();
}
