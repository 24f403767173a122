using RealtimeHead.Server.Bots;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class PushFormatTests
{
    [Theory]
    [InlineData("pcm16", "16000", null, 16_000, 1)]
    [InlineData("pcm16", "24000", "1", 24_000, 1)]
    [InlineData("pcm16", "48000", "2", 48_000, 2)]
    [InlineData("opus", null, null, 48_000, 1)]
    [InlineData("opus", "48000", "2", 48_000, 2)]
    public void TryParse_AllowedQuery_GivesTheFormat(string format, string? rate, string? channels, int expectedRate, int expectedChannels)
    {
        Assert.True(PushFormat.TryParse(format, rate, channels, out var parsed, out _, out _));

        Assert.Equal(new PushFormat(format, expectedRate, expectedChannels), parsed);
    }

    [Theory]
    [InlineData(null, "16000", null, BotErrorCode.BadFormat)]
    [InlineData("wav", "16000", null, BotErrorCode.BadFormat)]
    [InlineData("PCM16", "16000", null, BotErrorCode.BadFormat)]
    [InlineData("pcm16", null, null, BotErrorCode.BadRate)]
    [InlineData("pcm16", "44100", null, BotErrorCode.BadRate)]
    [InlineData("pcm16", "-16000", null, BotErrorCode.BadRate)]
    [InlineData("pcm16", "16000 ", null, BotErrorCode.BadRate)]
    [InlineData("opus", "16000", null, BotErrorCode.BadRate)]
    [InlineData("pcm16", "16000", "3", BotErrorCode.BadChannels)]
    [InlineData("pcm16", "16000", "0", BotErrorCode.BadChannels)]
    [InlineData("opus", null, "x", BotErrorCode.BadChannels)]
    public void TryParse_BadQuery_RefusesWithTheCode(string? format, string? rate, string? channels, string expected)
    {
        Assert.False(PushFormat.TryParse(format, rate, channels, out var parsed, out var code, out var message));

        Assert.Null(parsed);
        Assert.Equal(expected, code);
        Assert.NotEmpty(message);
    }

    [Fact]
    public void TryParse_RandomStrings_NeverThrow()
    {
        var random = new Random(7);
        string Next() => new([.. Enumerable.Range(0, random.Next(0, 80)).Select(_ => (char)random.Next(0, 0x3000))]);
        var accepted = 0;
        for (var i = 0; i < 2000; i++)
        {
            if (PushFormat.TryParse(Next(), Next(), Next(), out _, out var code, out _))
            {
                accepted++;
            }
            else
            {
                Assert.Contains(code, new[] { BotErrorCode.BadFormat, BotErrorCode.BadRate, BotErrorCode.BadChannels });
            }
        }

        Assert.Equal(0, accepted);
    }
}
