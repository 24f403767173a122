using RealtimeHead.Audio.Features;

namespace RealtimeHead.Audio.Tests.Features;

public sealed class MelFilterBankTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1000, 15)]
    [InlineData(6400, 42)]
    public void HzToMel_SlaneyScale_KnownPoints(double hz, double mel)
    {
        Assert.Equal(mel, MelFilterBank.HzToMel(hz), 9);
        Assert.Equal(hz, MelFilterBank.MelToHz(mel), 6);
    }

    [Fact]
    public void Constructor_80Bins_EveryFilterHasSupportAndCentresRise()
    {
        var bank = new MelFilterBank(80, 512, 16_000, 0, 8000);
        for (var m = 0; m < 80; m++)
        {
            var total = 0f;
            for (var k = 0; k <= 256; k++) total += bank.Weight(m, k);
            Assert.True(total > 0, $"filter {m} has no weight on any FFT bin");
            if (m > 0) Assert.True(bank.CentreFrequencies[m] > bank.CentreFrequencies[m - 1]);
        }
        Assert.InRange(bank.CentreFrequencies[^1], 7500, 8000);
    }
}
