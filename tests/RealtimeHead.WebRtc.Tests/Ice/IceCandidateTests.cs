using System.Net;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Tests.Ice;

public sealed class IceCandidateTests
{
    [Theory]
    [InlineData(126, 65535, 1, 2130706431u)]
    [InlineData(126, 65534, 1, 2130706175u)]
    [InlineData(100, 65535, 1, 1694498815u)]
    [InlineData(0, 65535, 1, 16777215u)]
    [InlineData(126, 65535, 2, 2130706430u)]
    public void ComputePriority_Rfc8445Formula_MatchesKnownValues(int typePreference, int localPreference, int component, uint expected)
    {
        Assert.Equal(expected, IceCandidate.ComputePriority(typePreference, localPreference, component));
    }

    [Fact]
    public void ComputePriority_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IceCandidate.ComputePriority(127, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IceCandidate.ComputePriority(126, 65536, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IceCandidate.ComputePriority(126, 0, 0));
    }

    [Fact]
    public void CreateHostCandidates_IPv4AndIPv6_PrefersIPv6WithDistinctPrioritiesAndFoundations()
    {
        var candidates = IceCandidate.CreateHostCandidates(
            [IPAddress.Parse("203.0.113.5"), IPAddress.Parse("2001:db8::5"), IPAddress.Parse("::ffff:203.0.113.5")], 50000);

        Assert.Equal(2, candidates.Count);
        Assert.Equal("2001:db8::5", candidates[0].Address);
        Assert.Equal(2130706431u, candidates[0].Priority);
        Assert.Equal("203.0.113.5", candidates[1].Address);
        Assert.Equal(2130706175u, candidates[1].Priority);
        Assert.All(candidates, c => Assert.Equal(50000, c.Port));
        Assert.All(candidates, c => Assert.Equal(IceCandidateType.Host, c.Type));
        Assert.NotEqual(candidates[0].Foundation, candidates[1].Foundation);
        Assert.Equal(
            IceCandidate.ComputeFoundation(IceCandidateType.Host, IPAddress.Parse("203.0.113.5"), "udp"),
            candidates[1].Foundation);
    }

    [Fact]
    public void ToSdpValue_HostCandidate_MatchesRfc8839Grammar()
    {
        var candidate = new IceCandidate("4234997325", 1, "udp", 2130706431, "203.0.113.5", 50000, IceCandidateType.Host);
        Assert.Equal("candidate:4234997325 1 udp 2130706431 203.0.113.5 50000 typ host", candidate.ToSdpValue());
    }

    [Fact]
    public void TryParse_ChromiumMdnsHost_KeepsNameAndExtensions()
    {
        Assert.True(IceCandidate.TryParse(
            "a=candidate:2999745851 1 udp 2122194687 3b4f1a2c-8d2e-4f63-9a1b-7c5d6e7f8a9b.local 54400 typ host generation 0 network-id 2",
            out var candidate));
        Assert.Equal("2999745851", candidate!.Foundation);
        Assert.Equal(2122194687u, candidate.Priority);
        Assert.Equal("3b4f1a2c-8d2e-4f63-9a1b-7c5d6e7f8a9b.local", candidate.Address);
        Assert.False(candidate.TryGetIPEndPoint(out _));
        Assert.Equal(2, candidate.Extensions.Count);
        Assert.Equal("network-id", candidate.Extensions[1].Key);
    }

    [Fact]
    public void TryParse_ServerReflexive_ReadsRelatedAddressAndRoundTrips()
    {
        const string text = "candidate:842163049 1 udp 1677729535 198.51.100.7 61000 typ srflx raddr 192.168.1.23 rport 54321 generation 0";
        Assert.True(IceCandidate.TryParse(text, out var candidate));
        Assert.Equal(IceCandidateType.ServerReflexive, candidate!.Type);
        Assert.Equal("192.168.1.23", candidate.RelatedAddress);
        Assert.Equal(54321, candidate.RelatedPort);
        Assert.True(candidate.TryGetIPEndPoint(out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.7"), 61000), endPoint);
        Assert.Equal(text, candidate.ToSdpValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("candidate:")]
    [InlineData("candidate:1 1 udp 2130706431 10.0.0.1 50000 typ")]
    [InlineData("candidate:1 0 udp 2130706431 10.0.0.1 50000 typ host")]
    [InlineData("candidate:1 1 udp -5 10.0.0.1 50000 typ host")]
    [InlineData("candidate:1 1 udp 2130706431 10.0.0.1 70000 typ host")]
    [InlineData("candidate:1 1 udp 2130706431 10.0.0.1 50000 kind host")]
    [InlineData("candidate:1 1 udp 2130706431 10.0.0.1 50000 typ weird")]
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(IceCandidate.TryParse(text, out var candidate));
        Assert.Null(candidate);
    }

    [Fact]
    public void Generate_Credentials_MeetRfc8839Lengths()
    {
        var credentials = IceCredentials.Generate();
        Assert.True(IceCredentials.IsValidUfrag(credentials.Ufrag));
        Assert.True(IceCredentials.IsValidPassword(credentials.Password));
        Assert.DoesNotContain(':', credentials.Ufrag);
        Assert.NotEqual(credentials.Ufrag, IceCredentials.Generate().Ufrag);
        Assert.False(IceCredentials.IsValidUfrag("abc"));
        Assert.False(IceCredentials.IsValidPassword("short"));
        Assert.False(IceCredentials.IsValidUfrag("ab:cd"));
    }
}
