using Microsoft.Extensions.Configuration;
using RealtimeHead.Rendering;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Tests.Hosting;

/// <summary>Model:AdmissionQuality: bound by name from configuration, checked by the validator.</summary>
public sealed class AdmissionQualityTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("LowResolution", RenderQuality.LowResolution)]
    [InlineData("nosuperresolution", RenderQuality.NoSuperResolution)]
    public void Bind_Configuration_GivesTheRung(string? value, RenderQuality? expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RealtimeHead:Model:AdmissionQuality"] = value })
            .Build();

        var options = configuration.GetSection(RealtimeHeadOptions.SectionName).Get<RealtimeHeadOptions>() ?? new RealtimeHeadOptions();

        Assert.Equal(expected, options.Model.AdmissionQuality);
    }

    [Fact]
    public void Validate_UndefinedRung_ReportsTheKeyAndTheValues()
    {
        var options = new RealtimeHeadOptions { Model = new ModelOptions { AdmissionQuality = (RenderQuality)7, VadModelPath = null } };

        var failures = new RealtimeHeadOptionsValidator().Validate(null, options).Failures ?? [];

        var failure = Assert.Single(failures, f => f.Contains("Model:AdmissionQuality", StringComparison.Ordinal));
        Assert.Contains("Full, NoSuperResolution or LowResolution", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", RenderQuality.LowResolution)]
    [InlineData("cuda", RenderQuality.Full)]
    [InlineData("cuda:1", RenderQuality.Full)]
    public void DefaultAdmissionQuality_ByDevice_FullOnlyWhereTheModelIsMeantToRun(string device, RenderQuality expected)
    {
        Assert.Equal(expected, RealtimeHead.Server.Sessions.RenderDevice.DefaultAdmissionQuality(device));
    }
}
