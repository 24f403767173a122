using RealtimeHead.Testing.SignalR;
using System.Text.Json;
using RealtimeHead.Pipeline.Scheduling;
using RealtimeHead.Server.Signalling;
using RealtimeHead.Server.Tests.TestSupport;
using RealtimeHead.Testing.Sdp;

namespace RealtimeHead.Server.Tests.Signalling;

public sealed class SessionStatsTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    [Fact]
    public async Task Stats_AfterOffer_ArriveEveryIntervalForThatSessionOnly()
    {
        await using var server = await ServerFixture.StartAsync(settings => settings["RealtimeHead:Web:StatsInterval"] = "00:00:00.1");
        await using var caller = await server.ConnectAsync();
        await using var bystander = await server.ConnectAsync();
        var sessionId = (await caller.InvokeAsync("Join", "default")).Value.GetProperty("sessionId").GetString();
        Assert.Null((await bystander.InvokeAsync("Join", "default")).Error);

        // Joined without an offer: no media path, nothing to report.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller.NextServerInvocationAsync(Quiet));
        Assert.Null((await caller.InvokeAsync("Offer", ChromiumOffer.Text)).Error);

        var first = await NextStatsAsync(caller);
        var second = await NextStatsAsync(caller);

        Assert.Equal(sessionId, first.GetProperty("sessionId").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("fps").ValueKind); // no previous count to take a rate from
        Assert.Equal(JsonValueKind.Number, second.GetProperty("fps").ValueKind);
        Assert.True(second.GetProperty("framesSent").GetInt64() >= first.GetProperty("framesSent").GetInt64());
        Assert.InRange(second.GetProperty("degradationLevel").GetInt32(), 0, 3);
        Assert.Equal(
            SessionStatsBroadcaster.LevelName((DegradationLevel)second.GetProperty("degradationLevel").GetInt32()),
            second.GetProperty("degradation").GetString());
        foreach (var name in new[] { "repeatedFrames", "idleFrames", "lateFrames", "mouthToWireP50Ms", "mouthToWireP95Ms", "lipOffsetMs", "avDelayMs", "firstFrameMs" })
        {
            Assert.True(second.TryGetProperty(name, out _), $"the Stats message lacks {name}");
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => bystander.NextServerInvocationAsync(Quiet));
    }

    [Fact]
    public async Task Stats_AfterLeave_Stop()
    {
        await using var server = await ServerFixture.StartAsync(settings => settings["RealtimeHead:Web:StatsInterval"] = "00:00:00.1");
        await using var client = await server.ConnectAsync();
        await client.InvokeAsync("Join", "default");
        await client.InvokeAsync("Offer", ChromiumOffer.Text);
        await NextStatsAsync(client);

        await client.InvokeAsync("Leave");
        while (await TryNextAsync(client) is not null)
        {
            // A message sent while Leave was in flight may still arrive; after that, silence.
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.NextServerInvocationAsync(Quiet));
        Assert.Equal(1, server.Get<SessionConnections>().Count); // still connected: it may join again
    }

    [Fact]
    public async Task Connections_Disconnect_IsForgotten()
    {
        await using var server = await ServerFixture.StartAsync();
        var client = await server.ConnectAsync();
        await client.InvokeAsync("Join", "default");
        Assert.Equal(1, server.Get<SessionConnections>().Count);

        await client.DisposeAsync();

        await Eventually.TrueAsync(() => server.Get<SessionConnections>().Count == 0);
    }

    [Theory]
    [InlineData(DegradationLevel.Full, "full")]
    [InlineData(DegradationLevel.NoSuperResolution, "no_super_resolution")]
    [InlineData(DegradationLevel.LowResolution, "low_resolution")]
    [InlineData(DegradationLevel.RepeatLastFrame, "repeat_last_frame")]
    public void LevelName_EveryRung_MatchesTheMetricTag(DegradationLevel level, string name) =>
        Assert.Equal(name, SessionStatsBroadcaster.LevelName(level));

    private static async Task<JsonElement> NextStatsAsync(HubTestClient client)
    {
        while (true)
        {
            var message = await client.NextServerInvocationAsync(TimeSpan.FromSeconds(5));
            if (message.GetProperty("target").GetString() == "Stats")
            {
                return message.GetProperty("arguments")[0];
            }
        }
    }

    private static async Task<JsonElement?> TryNextAsync(HubTestClient client)
    {
        try
        {
            return await client.NextServerInvocationAsync(TimeSpan.FromMilliseconds(150));
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
