using RealtimeHead.WebRtc.Rtp;
using static RealtimeHead.WebRtc.Tests.Rtp.TestBytes;

namespace RealtimeHead.WebRtc.Tests.Rtp;

public sealed class Vp8PayloadDescriptorTests
{
    [Fact]
    public void TryParse_StartBitOnly_OneByte()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(Hex("10 9D"), out var descriptor, out var length));
        Assert.Equal(1, length);
        Assert.True(descriptor.StartOfPartition);
        Assert.True(descriptor.IsFrameStart);
        Assert.Null(descriptor.PictureId);
        Assert.Equal(Hex("10"), Write(descriptor));
    }

    [Fact]
    public void TryParse_SevenBitPictureId_Reads42()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(Hex("90 80 2A"), out var descriptor, out var length));
        Assert.Equal(3, length);
        Assert.Equal((ushort)42, descriptor.PictureId);
        Assert.False(descriptor.LongPictureId);
        Assert.Equal(Hex("90 80 2A"), Write(descriptor));
    }

    [Fact]
    public void TryParse_FifteenBitPictureId_ReadsBothBytes()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(Hex("90 80 AB CD"), out var descriptor, out var length));
        Assert.Equal(4, length);
        Assert.Equal((ushort)0x2BCD, descriptor.PictureId);
        Assert.True(descriptor.LongPictureId);
        Assert.Equal(Hex("90 80 AB CD"), Write(descriptor));
    }

    [Fact]
    public void TryParse_AllOptionalFields_ReadsEach()
    {
        // X N S PID=3 | I L T K | M + 15-bit id 5 | TL0PICIDX 7 | TID=3 Y=1 KEYIDX=5.
        var bytes = Hex("B3 F0 80 05 07 E5");
        Assert.True(Vp8PayloadDescriptor.TryParse(bytes, out var descriptor, out var length));
        Assert.Equal(6, length);
        Assert.True(descriptor.NonReference);
        Assert.True(descriptor.StartOfPartition);
        Assert.False(descriptor.IsFrameStart); // PID 3 is not the first partition.
        Assert.Equal(3, descriptor.PartitionIndex);
        Assert.Equal((ushort)5, descriptor.PictureId);
        Assert.True(descriptor.LongPictureId);
        Assert.Equal((byte)7, descriptor.Tl0PicIdx);
        Assert.Equal((byte)3, descriptor.TemporalLayerId);
        Assert.True(descriptor.LayerSync);
        Assert.Equal((byte)5, descriptor.KeyIndex);
        Assert.Equal(6, descriptor.Length);
        Assert.Equal(bytes, Write(descriptor));
    }

    [Fact]
    public void TryParse_KeyIndexWithoutTid_LeavesTidNull()
    {
        Assert.True(Vp8PayloadDescriptor.TryParse(Hex("80 10 DF"), out var descriptor, out var length));
        Assert.Equal(3, length);
        Assert.Null(descriptor.TemporalLayerId);
        Assert.Equal((byte)31, descriptor.KeyIndex);
        Assert.Equal(Hex("80 10 1F"), Write(descriptor)); // TID bits are not meaningful without T: written as 0.
    }

    [Fact]
    public void WriteTo_PictureIdAbove127_UsesFifteenBits()
    {
        var descriptor = new Vp8PayloadDescriptor { StartOfPartition = true, PictureId = 300 };
        Assert.Equal(Hex("90 80 81 2C"), Write(descriptor));
    }

    [Theory]
    [InlineData("")]
    [InlineData("80")] // X without the extension byte.
    [InlineData("80 80")] // I without picture id.
    [InlineData("80 80 80")] // M without the second picture id byte.
    [InlineData("80 40")] // L without TL0PICIDX.
    [InlineData("80 20")] // T without the TID byte.
    [InlineData("80 F0 80 05 07")] // All present, last byte missing.
    public void TryParse_Truncated_ReturnsFalse(string hex) =>
        Assert.False(Vp8PayloadDescriptor.TryParse(Hex(hex), out _, out _));

    [Fact]
    public void TryParse_RandomInput_NeverThrowsAndLengthFits()
    {
        var random = new Random(7);
        var failures = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var data = new byte[random.Next(0, 7)];
            random.NextBytes(data);
            if (Vp8PayloadDescriptor.TryParse(data, out var descriptor, out var length))
            {
                Assert.InRange(length, 1, data.Length);
                // Equal except for an X byte that announces nothing, which the writer omits.
                Assert.InRange(descriptor.Length, length - 1, length);
            }
            else
            {
                failures++;
            }
        }

        Assert.InRange(failures, 1, 19_999);
    }

    private static byte[] Write(Vp8PayloadDescriptor descriptor)
    {
        var buffer = new byte[descriptor.Length];
        Assert.Equal(buffer.Length, descriptor.WriteTo(buffer));
        return buffer;
    }
}
