namespace RealtimeHead.Server.Tests.TestSupport;

/// <summary>Polls a condition that another thread makes true (teardown after a socket closes), with a deadline.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not become true in time.");
            }

            await Task.Delay(10);
        }
    }
}
