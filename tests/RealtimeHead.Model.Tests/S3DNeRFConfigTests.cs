namespace RealtimeHead.Model.Tests;

public sealed class S3DNeRFConfigTests
{
    [Theory]
    [InlineData("tiny")]
    [InlineData("paper")]
    public void Presets_AreValid(string name)
    {
        var config = S3DNeRFConfig.FromPreset(name);
        Assert.Empty(config.Validate());
        Assert.Equal(name, config.Preset);
    }

    [Fact]
    public void Paper_HasTheFourLevelPyramidAnd256Output()
    {
        Assert.Equal(4, S3DNeRFConfig.Paper.Levels);
        Assert.Equal(256, S3DNeRFConfig.Paper.ImageSize);
        Assert.Equal(768, S3DNeRFConfig.Paper.AudioFeatureDim);
    }

    [Fact]
    public void Validate_ListsEveryProblem()
    {
        var bad = S3DNeRFConfig.Tiny with { RenderSize = 48, AttentionDim = 30, CoarseSamples = 1 };
        var errors = bad.Validate();
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("RenderSize 48"));
        Assert.Contains(errors, e => e.Contains("AttentionDim 30"));
        var thrown = Assert.Throws<ArgumentException>(() => bad.EnsureValid());
        Assert.Contains("CoarseSamples", thrown.Message);
    }

    [Fact]
    public void FromPreset_Unknown_NamesTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => S3DNeRFConfig.FromPreset("huge"));
        Assert.Contains("'tiny' or 'paper'", error.Message);
    }
}
