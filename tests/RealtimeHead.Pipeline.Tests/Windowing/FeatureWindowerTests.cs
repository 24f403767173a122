using RealtimeHead.Pipeline.Windowing;

namespace RealtimeHead.Pipeline.Tests.Windowing;

public sealed class FeatureWindowerTests
{
    private const int Window = 16;
    private const long FrameSamples = 1920;
    private const long Step = 960;

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(31)]
    public void TryTake_ClickAtFrameInstant_LandsInCentreRow(int frame)
    {
        var windower = new FeatureWindower(Window, lookahead: 8, smoothingRadius: 0, FrameSamples, Step, [0f]);
        var clickAt = frame * FrameSamples;
        // Feature frames every 20 ms on a grid that starts 10 ms in (centres of 20 ms analysis blocks).
        for (long j = 0; j < 80; j++)
        {
            var timestamp = 480 + (j * Step);
            // The feature whose 20 ms analysis block [timestamp − 480, timestamp + 480) holds the click.
            windower.Add([clickAt >= timestamp - (Step / 2) && clickAt < timestamp + (Step / 2) ? 1f : 0f], timestamp, isSpeech: true);
        }

        var windows = Drain(windower);
        var window = windows.Single(w => w.FrameIndex == frame).Window;

        Assert.Equal(1f, window[Window / 2]);
        Assert.Equal(1f, window.Sum());
        Assert.Equal(clickAt, windows.Single(w => w.FrameIndex == frame).MediaTimestamp);
    }

    [Fact]
    public void TryTake_ClickHalfAFrameLater_LandsOneRowLaterInTheSameFrameOrCentreOfNext()
    {
        var windower = new FeatureWindower(Window, lookahead: 8, smoothingRadius: 0, FrameSamples, Step, [0f]);
        const long clickAt = (10 * FrameSamples) + Step; // one feature hop after frame 10's instant
        for (long j = 0; j < 60; j++)
        {
            var timestamp = j * Step;
            windower.Add([timestamp == clickAt ? 1f : 0f], timestamp, isSpeech: true);
        }

        var windows = Drain(windower);

        Assert.Equal(1f, windows.Single(w => w.FrameIndex == 10).Window[(Window / 2) + 1]);
        Assert.Equal(1f, windows.Single(w => w.FrameIndex == 11).Window[(Window / 2) - 1]);
    }

    [Fact]
    public void IsNextReady_WaitsForExactlyTheLookahead()
    {
        var windower = new FeatureWindower(Window, lookahead: 4, smoothingRadius: 1, FrameSamples, Step, [0f]);
        // Frame 3's centre is feature 6: ready once feature 10 is in.
        windower.SkipTo(3);
        for (long j = 0; j < 10; j++)
        {
            windower.Add([1f], j * Step, true);
        }

        Assert.False(windower.IsNextReady);
        windower.Add([1f], 10 * Step, true);
        Assert.True(windower.IsNextReady);
    }

    [Fact]
    public void TryTake_ShortLookahead_PadsTheFutureWithTheLastAvailableRow()
    {
        var windower = new FeatureWindower(Window, lookahead: 2, smoothingRadius: 0, FrameSamples, Step, [0f]);
        windower.SkipTo(10); // centre feature 20
        for (long j = 0; j <= 22; j++)
        {
            windower.Add([j], j * Step, true);
        }

        Assert.True(windower.TryTake(out var frame));

        // Rows are features 12..27; those after 22 (centre + lookahead) repeat feature 22.
        Assert.Equal(Enumerable.Range(12, 11).Select(i => (float)i).Concat(Enumerable.Repeat(22f, 5)), frame.Window);
    }

    [Fact]
    public void TryTake_Smoothing_AveragesNeighbourWindowsQuarterHalfQuarter()
    {
        var windower = new FeatureWindower(Window, lookahead: 8, smoothingRadius: 1, FrameSamples, Step, [0f]);
        windower.SkipTo(10);
        for (long j = 0; j < 40; j++)
        {
            windower.Add([j == 20 ? 4f : 0f], j * Step, true);
        }

        Assert.True(windower.TryTake(out var frame));

        // Feature 20 sits at row 8 of frame 10, row 10 of frame 9 and row 6 of frame 11.
        Assert.Equal(2f, frame.Window[8]);
        Assert.Equal(1f, frame.Window[10]);
        Assert.Equal(1f, frame.Window[6]);
        Assert.Equal(4f, frame.Window.Sum());
    }

    [Fact]
    public void Add_NotSpeech_StoresSilenceFeatures()
    {
        var silence = new[] { -3f, -4f };
        var windower = new FeatureWindower(2, lookahead: 1, smoothingRadius: 0, FrameSamples, Step, silence);
        windower.Add([9f, 9f], 0, isSpeech: false);
        windower.Add([5f, 5f], Step, isSpeech: true);

        Assert.True(windower.TryTake(out var frame));

        // Rows: feature −1 (before the stream: silence) and feature 0 (gated: silence).
        Assert.Equal([-3f, -4f, -3f, -4f], frame.Window);
        Assert.False(frame.IsSpeech);
    }

    [Fact]
    public void Clear_KeepsTheFrameGridAndNeverRepeatsAFrame()
    {
        var windower = new FeatureWindower(Window, lookahead: 4, smoothingRadius: 0, FrameSamples, Step, [0f]);
        for (long j = 0; j < 30; j++)
        {
            windower.Add([1f], j * Step, true);
        }

        var before = Drain(windower);
        windower.Clear();
        for (long j = 40; j < 60; j++)
        {
            windower.Add([1f], j * Step, true);
        }

        var after = Drain(windower);

        Assert.Equal(Enumerable.Range(0, before.Count).Select(i => (long)i), before.Select(w => w.FrameIndex));
        Assert.Equal(20, after[0].FrameIndex); // the first frame at or after the new audio
        Assert.All(after, w => Assert.True(w.FrameIndex > before[^1].FrameIndex));
    }

    [Fact]
    public void Add_TenMinutesOfFeatures_MemoryStaysBounded()
    {
        var windower = new FeatureWindower(Window, lookahead: 4, smoothingRadius: 2, FrameSamples, Step, [0f]);
        var taken = 0;
        for (long j = 0; j < 30_000; j++)
        {
            windower.Add([1f], j * Step, true);
            taken += Drain(windower).Count;
        }

        Assert.InRange(windower.BufferedFeatures, Window, (4 * Window) + 1);
        Assert.Equal(14_998, taken); // frames 0..14 997: centre 2k plus lookahead 4 within features 0..29 999
    }

    private static List<WindowedFrame> Drain(FeatureWindower windower)
    {
        var frames = new List<WindowedFrame>();
        while (windower.TryTake(out var frame))
        {
            frames.Add(frame);
        }

        return frames;
    }
}
