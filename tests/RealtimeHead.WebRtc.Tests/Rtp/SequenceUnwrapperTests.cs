using RealtimeHead.WebRtc.Rtp;

namespace RealtimeHead.WebRtc.Tests.Rtp;

public sealed class SequenceUnwrapperTests
{
    [Fact]
    public void Unwrap_AcrossWrapWithReordering_ReturnsExtendedValues()
    {
        var unwrapper = new SequenceUnwrapper();
        Assert.Equal(65534, unwrapper.Unwrap(65534));
        Assert.Equal(65536, unwrapper.Unwrap(0));
        Assert.Equal(65535, unwrapper.Unwrap(65535)); // Late, across the wrap.
        Assert.Equal(65537, unwrapper.Unwrap(1));
        Assert.Equal(65536 + 20000, unwrapper.Unwrap(20000)); // Forward jump under half the range.
        Assert.Equal(60000, unwrapper.Unwrap(60000)); // More than half the range ahead reads as behind.
        Assert.Equal(65536 + 20000, unwrapper.Newest);
    }

    [Fact]
    public void Unwrap_ManyCycles_CountsCycles()
    {
        var unwrapper = new SequenceUnwrapper();
        for (var i = 0; i < 5 * 65536; i += 1000)
        {
            Assert.Equal(i, unwrapper.Unwrap((ushort)i));
        }

        Assert.Equal(327_000, unwrapper.Newest); // Five cycles in, a 16-bit field would read 65_320.
    }

    [Fact]
    public void Peek_DoesNotAdvance()
    {
        var unwrapper = new SequenceUnwrapper();
        Assert.Equal(10, unwrapper.Peek(10));
        unwrapper.Unwrap(65000);
        Assert.Equal(65536 + 10, unwrapper.Peek(10));
        Assert.Equal(65000, unwrapper.Newest);
    }

    [Fact]
    public void TimestampUnwrapper_AcrossWrap_Extends()
    {
        var unwrapper = new TimestampUnwrapper();
        Assert.Equal(0xFFFF_FF00L, unwrapper.Unwrap(0xFFFF_FF00));
        Assert.Equal(0x1_0000_0100L, unwrapper.Unwrap(0x100));
        Assert.Equal(0xFFFF_FFF0L, unwrapper.Unwrap(0xFFFF_FFF0));
    }

    [Theory]
    [InlineData(1, 0, true)]
    [InlineData(0, 65535, true)]
    [InlineData(65535, 0, false)]
    [InlineData(5, 5, false)]
    [InlineData(32767, 0, true)]
    [InlineData(32769, 0, false)]
    public void IsNewer_ModularComparison(int a, int b, bool expected) =>
        Assert.Equal(expected, RtpSequence.IsNewer((ushort)a, (ushort)b));

    [Fact]
    public void Distance_AcrossWrap_IsSigned()
    {
        Assert.Equal(3, RtpSequence.Distance(65534, 1));
        Assert.Equal(-3, RtpSequence.Distance(1, 65534));
        Assert.True(RtpSequence.IsNewerTimestamp(5, 0xFFFF_FFF0));
    }
}
