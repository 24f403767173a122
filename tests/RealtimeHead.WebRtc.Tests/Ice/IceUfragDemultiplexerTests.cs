using System.Net;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Tests.Ice;

public sealed class IceUfragDemultiplexerTests
{
    private sealed class Session(string name)
    {
        public override string ToString() => name;
    }

    private static readonly IPEndPoint Browser = new(IPAddress.Parse("192.168.1.23"), 54321);

    private static byte[] Dtls => [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static byte[] Rtp => [0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];

    [Fact]
    public void Route_StunWithRegisteredUfrag_ReturnsThatSessionAndParsedMessage()
    {
        var demux = new IceUfragDemultiplexer<Session>();
        var a = new Session("a");
        var b = new Session("b");
        Assert.True(demux.TryRegister("srvU", a));
        Assert.True(demux.TryRegister("othr", b));

        var result = demux.Route(IceLiteAgentTests.ChromiumCheck(), Browser);
        var other = demux.Route(IceLiteAgentTests.ChromiumCheck(username: "othr:Vx4q"), Browser);

        Assert.Equal(DemuxOutcome.RoutedByUfrag, result.Outcome);
        Assert.Same(a, result.Session);
        Assert.Equal("srvU:Vx4q", result.Stun!.GetUsername());
        Assert.Same(b, other.Session);
    }

    [Fact]
    public void TryRegister_DuplicateUfrag_ReturnsFalse()
    {
        var demux = new IceUfragDemultiplexer<Session>();
        Assert.True(demux.TryRegister("srvU", new Session("a")));
        Assert.False(demux.TryRegister("srvU", new Session("b")));
        Assert.Equal(1, demux.SessionCount);
    }

    [Fact]
    public void Route_StunWithUnknownUfrag_DropsAndCounts()
    {
        var demux = new IceUfragDemultiplexer<Session>();
        demux.TryRegister("srvU", new Session("a"));

        var result = demux.Route(IceLiteAgentTests.ChromiumCheck(username: "nope:Vx4q"), Browser);

        Assert.Equal(DemuxOutcome.UnknownUfrag, result.Outcome);
        Assert.Null(result.Session);
        Assert.Equal(1, demux.UnknownUfragCount);
    }

    [Fact]
    public void Route_DtlsAndRtpBeforeBinding_AreDroppedAsUnknownEndPoint()
    {
        var demux = new IceUfragDemultiplexer<Session>();
        demux.TryRegister("srvU", new Session("a"));

        Assert.Equal(DemuxOutcome.UnknownEndPoint, demux.Route(Dtls, Browser).Outcome);
        Assert.Equal(DemuxOutcome.UnknownEndPoint, demux.Route(Rtp, Browser).Outcome);
        Assert.Equal(2, demux.UnknownEndPointCount);
    }

    [Fact]
    public void Route_AfterBindEndPoint_RoutesDtlsRtpAndIPv4MappedSource()
    {
        var demux = new IceUfragDemultiplexer<Session>();
        var a = new Session("a");
        demux.TryRegister("srvU", a);
        demux.BindEndPoint(Browser, a);

        Assert.Same(a, demux.Route(Dtls, Browser).Session);
        Assert.Same(a, demux.Route(Rtp, Browser).Session);
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:192.168.1.23"), 54321);
        Assert.Equal(DemuxOutcome.RoutedByEndPoint, demux.Route(Rtp, mapped).Outcome);
        Assert.Equal(DemuxOutcome.UnknownEndPoint, demux.Route(Rtp, new IPEndPoint(Browser.Address, 54322)).Outcome);
    }

    [Fact]
    public void Route_AgentAcceptedCheckThenBind_EndToEndRoutesMedia()
    {
        var demux = new IceUfragDemultiplexer<IceLiteAgent>();
        using var agent = new IceLiteAgent(
            new IceCredentials("srvU", "serverPassword0123456789"), "Vx4q", new IceOptions(), new FakeTimeProvider(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<IceLiteAgent>.Instance);
        demux.TryRegister(agent.LocalUfrag, agent);

        var routed = demux.Route(IceLiteAgentTests.ChromiumCheck(useCandidate: true), Browser);
        var check = routed.Session!.ProcessMessage(routed.Stun!, Browser);
        if (check.IsValidCheck)
        {
            demux.BindEndPoint(Browser, routed.Session);
        }

        Assert.Equal(IceCheckOutcome.Nominated, check.Outcome);
        Assert.Same(agent, demux.Route(Dtls, Browser).Session);
    }

    [Fact]
    public void Unregister_RemovesUfragAndEndPoints()
    {
        var demux = new IceUfragDemultiplexer<Session>();
        var a = new Session("a");
        var b = new Session("b");
        demux.TryRegister("srvU", a);
        demux.TryRegister("othr", b);
        demux.BindEndPoint(Browser, a);

        demux.Unregister(a);

        Assert.Equal(DemuxOutcome.UnknownUfrag, demux.Route(IceLiteAgentTests.ChromiumCheck(), Browser).Outcome);
        Assert.Equal(DemuxOutcome.UnknownEndPoint, demux.Route(Dtls, Browser).Outcome);
        Assert.Equal(1, demux.SessionCount);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 4, 1, 2, 3 })]
    [InlineData(new byte[] { 64, 1, 2, 3 })]
    [InlineData(new byte[] { 200, 1, 2, 3 })]
    [InlineData(new byte[] { 0, 1, 0, 0, 1, 2 })]
    public void Route_NotStunDtlsOrRtp_DropsAsMalformed(byte[] datagram)
    {
        var demux = new IceUfragDemultiplexer<Session>();
        var a = new Session("a");
        demux.TryRegister("srvU", a);
        demux.BindEndPoint(Browser, a);

        var result = demux.Route(datagram, Browser);

        Assert.Equal(DemuxOutcome.Malformed, result.Outcome);
        Assert.Equal(1, demux.MalformedCount);
    }

    [Fact]
    public void Route_RandomDatagrams_NeverThrowsAndEveryDropIsCounted()
    {
        var demux = new IceUfragDemultiplexer<Session>();
        var a = new Session("a");
        demux.TryRegister("srvU", a);
        demux.BindEndPoint(Browser, a);
        var random = new Random(7983);
        int routed = 0;
        const int count = 4000;
        for (int i = 0; i < count; i++)
        {
            var datagram = new byte[random.Next(0, 200)];
            random.NextBytes(datagram);
            var source = i % 3 == 0 ? Browser : new IPEndPoint(IPAddress.Loopback, 1000 + i);
            if (demux.Route(datagram, source).IsRouted)
            {
                routed++;
            }
        }

        Assert.Equal(count, routed + demux.MalformedCount + demux.UnknownEndPointCount + demux.UnknownUfragCount);
        Assert.True(routed > 0);
    }
}
