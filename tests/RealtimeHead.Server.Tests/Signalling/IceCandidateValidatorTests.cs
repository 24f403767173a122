using RealtimeHead.Server.Signalling;

namespace RealtimeHead.Server.Tests.Signalling;

public sealed class IceCandidateValidatorTests
{
    [Theory]
    [InlineData("candidate:1467250027 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1")]
    [InlineData("candidate:2999745851 1 udp 2122194687 3b4f1a2c-8d2e-4f63-9a1b-7c5d6e7f8a9b.local 54400 typ host generation 0")]
    [InlineData("a=candidate:842163049 1 udp 1677729535 203.0.113.7 61000 typ srflx raddr 0.0.0.0 rport 0")]
    [InlineData("candidate:1 1 tcp 1518280447 192.168.1.23 9 typ host tcptype active")]
    [InlineData("")]
    public void IsValid_WellFormedOrEndOfCandidates_True(string candidate)
    {
        Assert.True(IceCandidateValidator.IsValid(new IceCandidateMessage(candidate, "0", 0), out var problem), problem);
    }

    [Theory]
    [InlineData("candidate:x")]
    [InlineData("candidate: 1 udp 1 1.2.3.4 5 typ host")]
    [InlineData("candidate:1 0 udp 1 1.2.3.4 5 typ host")]
    [InlineData("candidate:1 1 udp -5 1.2.3.4 5 typ host")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 70000 typ host")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 type host")]
    [InlineData("candidate:1 1 udp 1 1.2.3.4 5 typ wormhole")]
    [InlineData("hello world this is not a candidate at all")]
    public void IsValid_Malformed_FalseWithAProblem(string candidate)
    {
        Assert.False(IceCandidateValidator.IsValid(new IceCandidateMessage(candidate, "0", 0), out var problem));
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void IsValid_NullMessageHugeOrNegativeIndex_False()
    {
        Assert.False(IceCandidateValidator.IsValid(null, out _));
        Assert.False(IceCandidateValidator.IsValid(new IceCandidateMessage("candidate:1 1 udp 1 1.2.3.4 5 typ host " + new string('x', 2000), "0", 0), out _));
        Assert.False(IceCandidateValidator.IsValid(new IceCandidateMessage("candidate:1 1 udp 1 1.2.3.4 5 typ host", "0", -1), out _));
    }

    [Fact]
    public void IsValid_RandomInput_NeverThrowsAndAcceptsOnlyCandidateShapes()
    {
        const string Alphabet = " candidateypthosudp0123456789:.-\u0000\u00ff";
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 120)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            var text = new string(chars);
            if (IceCandidateValidator.IsValid(new IceCandidateMessage(text, null, random.Next(-2, 3)), out var problem))
            {
                Assert.True(text.Length == 0 || text.StartsWith("candidate:", StringComparison.Ordinal) || text.StartsWith("a=candidate:", StringComparison.Ordinal), text);
            }
            else
            {
                Assert.NotEmpty(problem);
            }
        }
    }
}
