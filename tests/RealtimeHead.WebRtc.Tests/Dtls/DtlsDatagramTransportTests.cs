using RealtimeHead.WebRtc.Dtls;

namespace RealtimeHead.WebRtc.Tests.Dtls;

public sealed class DtlsDatagramTransportTests
{
    private static byte[] Record(byte fill, int length = 20)
    {
        byte[] record = new byte[length];
        Array.Fill(record, fill);
        record[0] = 22;
        return record;
    }

    [Fact]
    public void Receive_QueuedDatagram_ReturnsCopyInOrder()
    {
        var transport = new DtlsDatagramTransport(new DelegateSender(_ => { }), 8, 1200);
        byte[] first = Record(1);
        Assert.True(transport.TryDeliver(first));
        Assert.True(transport.TryDeliver(Record(2, 30)));
        first[5] = 99;

        byte[] buffer = new byte[100];
        Assert.Equal(20, transport.Receive(buffer, 10, 90, 1));
        Assert.Equal(Record(1), buffer[10..30]);
        Assert.Equal(30, transport.Receive(buffer, 0, 100, 1));
        Assert.Equal(2, buffer[29]);
    }

    [Fact]
    public void Receive_NothingQueued_ReturnsMinusOneAfterWait()
    {
        var transport = new DtlsDatagramTransport(new DelegateSender(_ => { }), 8, 1200);

        Assert.Equal(-1, transport.Receive(new byte[100], 0, 100, 1));
        Assert.True(transport.TryDeliver(Record(3)));
        Assert.Equal(20, transport.Receive(new byte[100], 0, 100, 1));
    }

    [Theory]
    [InlineData(0, 20)]
    [InlineData(19, 20)]
    [InlineData(64, 20)]
    [InlineData(128, 20)]
    [InlineData(22, 12)]
    [InlineData(22, 0)]
    public void TryDeliver_NotDtls_RefusedAndCounted(int firstByte, int length)
    {
        var transport = new DtlsDatagramTransport(new DelegateSender(_ => { }), 8, 1200);
        byte[] datagram = new byte[length];
        if (length > 0)
        {
            datagram[0] = (byte)firstByte;
        }

        Assert.False(transport.TryDeliver(datagram));
        Assert.Equal(1, transport.Dropped);
        Assert.Equal(-1, transport.Receive(new byte[100], 0, 100, 1));
    }

    [Fact]
    public void TryDeliver_QueueFull_DropsNewestAndCounts()
    {
        var transport = new DtlsDatagramTransport(new DelegateSender(_ => { }), 4, 1200);
        for (byte i = 0; i < 6; i++)
        {
            transport.TryDeliver(Record(i));
        }

        Assert.Equal(2, transport.Dropped);
        byte[] buffer = new byte[100];
        for (byte i = 0; i < 4; i++)
        {
            Assert.Equal(20, transport.Receive(buffer, 0, 100, 1));
            Assert.Equal(i, buffer[1]);
        }
    }

    [Fact]
    public void Receive_AfterAbort_ThrowsIOExceptionAndRefusesMore()
    {
        var transport = new DtlsDatagramTransport(new DelegateSender(_ => { }), 8, 1200);
        Task<int> blocked = Task.Run(() => transport.Receive(new byte[100], 0, 100, 0));

        transport.Abort();

        Assert.Throws<IOException>(() => blocked.GetAwaiter().GetResult());
        Assert.True(transport.IsClosed);
        Assert.False(transport.TryDeliver(Record(1)));
    }

    [Fact]
    public void Send_PassesExactSliceToSender()
    {
        byte[]? sent = null;
        var transport = new DtlsDatagramTransport(new DelegateSender(d => sent = d), 8, 1200);

        transport.Send([1, 2, 3, 4, 5], 1, 3);

        Assert.Equal(new byte[] { 2, 3, 4 }, sent);
        Assert.Equal(1200, transport.GetSendLimit());
    }
}
