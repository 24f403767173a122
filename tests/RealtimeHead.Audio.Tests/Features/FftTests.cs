using RealtimeHead.Audio.Features;

namespace RealtimeHead.Audio.Tests.Features;

public sealed class FftTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(512)]
    public void Forward_RandomComplexInput_MatchesDirectDft(int size)
    {
        var random = new Random(size);
        var re = new float[size];
        var im = new float[size];
        for (var i = 0; i < size; i++)
        {
            re[i] = (float)(random.NextDouble() * 2 - 1);
            im[i] = (float)(random.NextDouble() * 2 - 1);
        }
        var expectedRe = new double[size];
        var expectedIm = new double[size];
        for (var k = 0; k < size; k++)
            for (var n = 0; n < size; n++)
            {
                var angle = -2 * Math.PI * k * n / size;
                expectedRe[k] += re[n] * Math.Cos(angle) - im[n] * Math.Sin(angle);
                expectedIm[k] += re[n] * Math.Sin(angle) + im[n] * Math.Cos(angle);
            }

        new Fft(size).Forward(re, im);

        var tolerance = 1e-4 * size;
        for (var k = 0; k < size; k++)
        {
            Assert.InRange(re[k] - expectedRe[k], -tolerance, tolerance);
            Assert.InRange(im[k] - expectedIm[k], -tolerance, tolerance);
        }
    }

    [Fact]
    public void Forward_Impulse_GivesFlatSpectrum()
    {
        var re = new float[16];
        var im = new float[16];
        re[0] = 1;
        new Fft(16).Forward(re, im);
        Assert.All(re, v => Assert.Equal(1f, v));
        Assert.All(im, v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(400)]
    public void Constructor_NotPowerOfTwo_Throws(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Fft(size));
    }
}
