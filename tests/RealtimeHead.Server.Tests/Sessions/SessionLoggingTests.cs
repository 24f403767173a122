using RealtimeHead.Testing.Sdp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Sessions;

public sealed class SessionLoggingTests
{
    [Fact]
    public async Task SessionEvents_CarryTheSessionIdInTheirScope()
    {
        var sink = new CapturingLoggerProvider();
        await using var server = await ServerFixture.StartAsync(configureServices: services => services.AddSingleton<ILoggerProvider>(sink));
        await using var client = await server.ConnectAsync();

        var sessionId = (await client.InvokeAsync("Join", "default")).Value.GetProperty("sessionId").GetString()!;
        await client.InvokeAsync("Offer", ChromiumOffer.Text);
        await client.InvokeAsync("Leave");

        var events = sink.Entries.Where(e => e.Category == typeof(SessionManager).FullName).ToList();
        Assert.Equal([2001, 2002, 2003], events.Select(e => e.EventId).Order().ToArray());
        Assert.All(events, e => Assert.Equal(sessionId, e.Scope.GetValueOrDefault("SessionId")));
        Assert.All(events, e => Assert.Equal("default", e.Scope.GetValueOrDefault("AvatarId")));

        // The pipeline's own events, logged from its stage tasks, inherit the scope the session started them in.
        Assert.Contains(sink.Entries, e => e.Category.StartsWith("RealtimeHead.Pipeline", StringComparison.Ordinal) && Equals(e.Scope.GetValueOrDefault("SessionId"), sessionId));
    }
}
