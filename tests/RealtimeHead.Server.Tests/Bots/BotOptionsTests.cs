using Microsoft.Extensions.Options;
using RealtimeHead.Server.Bots;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class BotOptionsTests
{
    [Fact]
    public void GetErrors_Defaults_ReportsNothing()
    {
        Assert.Empty(new BotOptions().GetErrors("RealtimeHead:Bots:"));
    }

    [Fact]
    public void Validate_EveryValueOutOfRange_ListsEachKeyAtOnce()
    {
        var options = new RealtimeHeadOptions
        {
            Auth = new AuthOptions { SigningKey = new string('k', 40) },
            Bots = new BotOptions
            {
                MaxBufferedAudio = TimeSpan.FromMilliseconds(10),
                PushPrebuffer = TimeSpan.FromSeconds(5),
                MaxMessageBytes = 10,
                MaxSpeechTextLength = 0,
                MaxQueuedUtterances = 1000,
                MaxUtteranceDuration = TimeSpan.Zero,
                SpeechTimeout = TimeSpan.FromHours(1),
                MaxConcurrentSyntheses = 0,
                EspeakPath = " ",
                DefaultVoice = "--help",
                DefaultRate = 5,
                DefaultPitch = 101,
            },
        };

        var result = new RealtimeHeadOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Failed);
        var keys = new[]
        {
            "MaxBufferedAudio", "PushPrebuffer", "MaxMessageBytes", "MaxSpeechTextLength", "MaxQueuedUtterances", "MaxUtteranceDuration",
            "SpeechTimeout", "MaxConcurrentSyntheses", "EspeakPath", "DefaultVoice", "DefaultRate", "DefaultPitch",
        };
        Assert.Equal(keys.Length, result.Failures!.Count(f => f.StartsWith("RealtimeHead:Bots:", StringComparison.Ordinal)));
        foreach (var key in keys)
        {
            Assert.Contains(result.Failures!, f => f.StartsWith($"RealtimeHead:Bots:{key} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("en-us", true)]
    [InlineData("en+f3", true)]
    [InlineData("en-gb-x-rp", true)]
    [InlineData("", false)]
    [InlineData("-v", false)]
    [InlineData("en us", false)]
    [InlineData("en;rm", false)]
    [InlineData("../../etc/passwd", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    public void IsValidVoice_Name_OnlySafeEspeakNames(string voice, bool valid)
    {
        Assert.Equal(valid, SpeechRequest.IsValidVoice(voice));
    }
}
