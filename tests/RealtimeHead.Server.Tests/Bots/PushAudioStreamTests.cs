using RealtimeHead.Server.Bots;

namespace RealtimeHead.Server.Tests.Bots;

public sealed class PushAudioStreamTests
{
    [Fact]
    public async Task WriteRead_AcrossTheRingsEnd_KeepsOrder()
    {
        var stream = new PushAudioStream(10);
        var output = new List<short>();
        var buffer = new short[4];
        short next = 0;
        for (var round = 0; round < 20; round++)
        {
            var block = Enumerable.Range(0, 3 + (round % 5)).Select(_ => next++).ToArray();
            Assert.True(await stream.WriteAsync(block, CancellationToken.None));
            while (stream.Available > 2)
            {
                var read = stream.Read(buffer);
                output.AddRange(buffer.Take(read));
            }
        }

        while (stream.Available > 0)
        {
            output.AddRange(buffer.Take(stream.Read(buffer)));
        }

        Assert.Equal(Enumerable.Range(0, next).Select(i => (short)i), output);
        Assert.Equal(0, stream.BackpressureWaits);
    }

    [Fact]
    public async Task WriteAsync_Full_WaitsUntilRoomIsFreedThenCompletes()
    {
        var stream = new PushAudioStream(8);
        Assert.True(await stream.WriteAsync(new short[6], CancellationToken.None));

        var pending = stream.WriteAsync(Enumerable.Range(1, 5).Select(i => (short)i).ToArray(), CancellationToken.None).AsTask();
        await Task.Delay(50);

        // Two samples fitted; the writer waits with three more instead of dropping them.
        Assert.False(pending.IsCompleted);
        Assert.Equal(8, stream.Available);
        Assert.Equal(1, stream.BackpressureWaits);

        var drained = new short[4];
        Assert.Equal(4, stream.Read(drained));
        Assert.True(await pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(7, stream.Available);
    }

    [Fact]
    public async Task Complete_WhileAWriterWaits_ReleasesItWithFalse()
    {
        var stream = new PushAudioStream(4);
        Assert.True(await stream.WriteAsync(new short[4], CancellationToken.None));
        var pending = stream.WriteAsync(new short[2], CancellationToken.None).AsTask();

        stream.Complete();

        Assert.False(await pending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(stream.IsCompleted);
        Assert.Equal(4, stream.Available);
    }

    [Fact]
    public async Task Discard_DropsBufferedButStaysOpen()
    {
        var stream = new PushAudioStream(100);
        await stream.WriteAsync(new short[30], CancellationToken.None);

        Assert.Equal(30, stream.Discard());

        Assert.Equal(0, stream.Available);
        Assert.False(stream.IsCompleted);
        Assert.True(await stream.WriteAsync(new short[5], CancellationToken.None));
        Assert.Equal(5, stream.Available);
    }
}
