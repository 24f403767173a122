using RealtimeHead.WebRtc.Srtp;

namespace RealtimeHead.WebRtc.Tests.Srtp;

public sealed class ReplayWindowTests
{
    [Fact]
    public void Check_EmptyWindow_AcceptsAnyIndex()
    {
        var window = new ReplayWindow(64);

        Assert.Equal(SrtpStatus.Ok, window.Check(123_456));
        Assert.Equal(-1, window.Highest);
    }

    [Fact]
    public void Check_AcceptedIndex_IsDuplicate()
    {
        var window = new ReplayWindow(64);
        window.Accept(1000);

        Assert.Equal(SrtpStatus.ReplayDuplicate, window.Check(1000));
        Assert.Equal(1000, window.Highest);
    }

    [Fact]
    public void Check_ReorderedInsideWindow_AcceptedOnceThenDuplicate()
    {
        var window = new ReplayWindow(64);
        window.Accept(1000);
        window.Accept(1010);

        Assert.Equal(SrtpStatus.Ok, window.Check(1005));
        window.Accept(1005);
        Assert.Equal(SrtpStatus.ReplayDuplicate, window.Check(1005));
        Assert.Equal(1010, window.Highest);
    }

    [Fact]
    public void Check_IndexOutsideWindow_IsTooOld()
    {
        var window = new ReplayWindow(64);
        window.Accept(1000);

        Assert.Equal(SrtpStatus.Ok, window.Check(937));
        Assert.Equal(SrtpStatus.ReplayTooOld, window.Check(936));
        Assert.Equal(SrtpStatus.ReplayTooOld, window.Check(-1));
    }

    [Fact]
    public void Accept_SlideForward_ForgetsSlotsReusedByNewIndices()
    {
        var window = new ReplayWindow(64);
        window.Accept(0);
        window.Accept(1);

        // 64 and 65 share slots with 0 and 1: sliding must not make them look received.
        window.Accept(63);
        Assert.Equal(SrtpStatus.Ok, window.Check(64));
        Assert.Equal(SrtpStatus.Ok, window.Check(65));
        window.Accept(65);
        Assert.Equal(SrtpStatus.Ok, window.Check(64));
        Assert.Equal(SrtpStatus.ReplayTooOld, window.Check(1));
    }

    [Fact]
    public void Accept_JumpLargerThanWindow_ClearsEverything()
    {
        var window = new ReplayWindow(128);
        for (int i = 0; i < 128; i++)
        {
            window.Accept(i);
        }

        window.Accept(10_000);

        Assert.Equal(SrtpStatus.Ok, window.Check(9_999));
        Assert.Equal(SrtpStatus.Ok, window.Check(9_873));
        Assert.Equal(SrtpStatus.ReplayTooOld, window.Check(9_872));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(100)]
    public void Constructor_SizeNotMultipleOf64_Throws(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayWindow(size));
    }
}
