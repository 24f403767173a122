using System.Net;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Tests.Ice;

public sealed class IceOptionsTests
{
    [Fact]
    public void Validate_Defaults_AreValid()
    {
        var options = new IceOptions();
        Assert.Empty(options.Validate());
        Assert.Equal(50000, options.PortRangeStart);
        Assert.Equal(50009, options.PortRangeEnd);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ConsentTimeout);
    }

    [Fact]
    public void Validate_EverythingWrong_ReportsEveryProblem()
    {
        var options = new IceOptions
        {
            PortRangeStart = 80,
            PortRangeEnd = 70000,
            ConsentTimeout = TimeSpan.FromHours(1),
            HostAddresses = [IPAddress.Any],
        };

        var errors = options.Validate();

        Assert.Equal(4, errors.Count);
        Assert.Contains(errors, e => e.Contains("PortRangeStart is 80", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PortRangeEnd is 70000", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("ConsentTimeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("wildcards", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ReversedRangeAndNoAddresses_ReportsBoth()
    {
        var options = new IceOptions { PortRangeStart = 50010, PortRangeEnd = 50000, HostAddresses = [] };

        var error = Assert.Throws<ArgumentException>(options.ThrowIfInvalid);

        Assert.Contains("below Ice:PortRangeStart", error.Message, StringComparison.Ordinal);
        Assert.Contains("HostAddresses is empty", error.Message, StringComparison.Ordinal);
    }
}
