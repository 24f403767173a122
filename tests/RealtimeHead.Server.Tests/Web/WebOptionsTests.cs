using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Web;

namespace RealtimeHead.Server.Tests.Web;

public sealed class WebOptionsTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        var options = Valid();

        var result = new RealtimeHeadOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Web.StatsInterval);
        Assert.Null(options.Web.Root);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(60_001)]
    public void Validate_StatsIntervalOutOfRange_NamesTheKey(int milliseconds)
    {
        var options = Valid() with { Web = new WebOptions { StatsInterval = TimeSpan.FromMilliseconds(milliseconds) } };

        var result = new RealtimeHeadOptionsValidator().Validate(null, options);

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("RealtimeHead:Web:StatsInterval is ", failure, StringComparison.Ordinal);
        Assert.Contains("default 00:00:01", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WebNull_SaysToRemoveIt()
    {
        var options = Valid() with { Web = null! };

        var result = new RealtimeHeadOptionsValidator().Validate(null, options);

        Assert.Equal("RealtimeHead:Web is null; remove it for the defaults.", Assert.Single(result.Failures!));
    }

    private static RealtimeHeadOptions Valid() =>
        new() { Auth = new AuthOptions { Mode = AuthMode.Development }, Model = new ModelOptions { VadModelPath = null } };
}
