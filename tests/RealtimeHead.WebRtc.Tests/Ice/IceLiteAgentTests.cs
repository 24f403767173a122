using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Tests.Ice;

public sealed class IceLiteAgentTests
{
    private static readonly IceCredentials Local = new("srvU", "serverPassword0123456789");
    private const string RemoteUfrag = "Vx4q";
    private static readonly IPEndPoint Browser = new(IPAddress.Parse("192.168.1.23"), 54321);

    private readonly FakeTimeProvider _time = new();

    private IceLiteAgent CreateAgent(TimeSpan? consent = null) =>
        new(Local, RemoteUfrag, new IceOptions { ConsentTimeout = consent ?? TimeSpan.FromSeconds(30) }, _time, NullLogger<IceLiteAgent>.Instance);

    /// <summary>A Binding request as Chromium sends it to a lite agent (RFC 8445 §7.1.2).</summary>
    internal static byte[] ChromiumCheck(
        string username = "srvU:Vx4q",
        string password = "serverPassword0123456789",
        bool useCandidate = false,
        bool controlled = false,
        int seed = 1,
        bool integrity = true)
    {
        var txid = new byte[12];
        new Random(seed).NextBytes(txid);
        var writer = new StunMessageWriter(StunMessageType.BindingRequest, txid)
            .AddAttribute(0xC057, [0x00, 0x01, 0x00, 0x0A]) // GOOG-NETWORK-INFO, comprehension-optional
            .AddUsername(username);
        writer = controlled ? writer.AddIceControlled(0x1122334455667788) : writer.AddIceControlling(0x1122334455667788);
        writer.AddPriority(1853693695);
        if (useCandidate)
        {
            writer.AddUseCandidate();
        }

        if (integrity)
        {
            writer.AddMessageIntegrity(Encoding.UTF8.GetBytes(password));
        }

        return writer.AddFingerprint().ToArray();
    }

    private static StunMessage ParseResponse(byte[]? response)
    {
        Assert.NotNull(response);
        Assert.True(StunMessage.TryParse(response, out var message, out var error), error.ToString());
        Assert.True(message!.HasFingerprint);
        return message;
    }

    [Fact]
    public void ProcessDatagram_ValidCheck_AnswersSuccessWithMappedAddressIntegrityAndFingerprint()
    {
        using var agent = CreateAgent();
        byte[] request = ChromiumCheck();

        var result = agent.ProcessDatagram(request, Browser);

        Assert.Equal(IceCheckOutcome.Accepted, result.Outcome);
        Assert.True(result.IsValidCheck);
        var response = ParseResponse(result.Response);
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.Equal(request.AsSpan(8, 12).ToArray(), response.TransactionId.ToArray());
        Assert.Equal(Browser, response.GetXorMappedAddress());
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Local.Password)));
        Assert.Null(agent.SelectedRemoteEndPoint);
        Assert.Equal(1, agent.ValidCheckCount);
    }

    [Fact]
    public void ProcessDatagram_UseCandidate_SelectsRemoteEndPointAndRaisesEvent()
    {
        using var agent = CreateAgent();
        var selected = new List<IPEndPoint>();
        agent.SelectedEndPointChanged += selected.Add;

        var result = agent.ProcessDatagram(ChromiumCheck(useCandidate: true), Browser);
        agent.ProcessDatagram(ChromiumCheck(useCandidate: true, seed: 2), Browser);

        Assert.Equal(IceCheckOutcome.Nominated, result.Outcome);
        Assert.Equal(Browser, agent.SelectedRemoteEndPoint);
        Assert.Equal([Browser], selected);
    }

    [Fact]
    public void ProcessDatagram_RenominationFromNewEndPoint_SwitchesSelection()
    {
        using var agent = CreateAgent();
        var other = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 40000);

        agent.ProcessDatagram(ChromiumCheck(useCandidate: true), Browser);
        agent.ProcessDatagram(ChromiumCheck(useCandidate: true, seed: 3), other);

        Assert.Equal(other, agent.SelectedRemoteEndPoint);
    }

    [Fact]
    public void ProcessDatagram_IPv4MappedSource_IsAnsweredAndSelectedAsIPv4()
    {
        using var agent = CreateAgent();
        var mapped = new IPEndPoint(IPAddress.Parse("::ffff:10.1.2.3"), 5000);

        var result = agent.ProcessDatagram(ChromiumCheck(useCandidate: true), mapped);

        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 5000), ParseResponse(result.Response).GetXorMappedAddress());
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.2.3"), 5000), agent.SelectedRemoteEndPoint);
    }

    [Fact]
    public void ProcessDatagram_WrongPassword_Answers401WithoutIntegrityAndCounts()
    {
        using var agent = CreateAgent();

        var result = agent.ProcessDatagram(ChromiumCheck(password: "notTheServerPassword0000", useCandidate: true), Browser);

        Assert.Equal(IceCheckOutcome.Unauthorized, result.Outcome);
        var response = ParseResponse(result.Response);
        Assert.Equal(StunMessageType.BindingError, response.Type);
        Assert.Equal(401, response.GetErrorCode()!.Value.Code);
        Assert.False(response.HasMessageIntegrity);
        Assert.Equal(1, agent.UnauthorizedCount);
        Assert.Equal(0, agent.ValidCheckCount);
        Assert.Null(agent.SelectedRemoteEndPoint);
    }

    [Theory]
    [InlineData("srvU:other")]
    [InlineData("other:Vx4q")]
    [InlineData("srvU")]
    [InlineData("Vx4q:srvU")]
    public void ProcessDatagram_WrongUsername_Answers401(string username)
    {
        using var agent = CreateAgent();

        var result = agent.ProcessDatagram(ChromiumCheck(username: username), Browser);

        Assert.Equal(IceCheckOutcome.Unauthorized, result.Outcome);
        Assert.Equal(401, ParseResponse(result.Response).GetErrorCode()!.Value.Code);
        Assert.Equal(1, agent.UnauthorizedCount);
    }

    [Fact]
    public void ProcessDatagram_MissingIntegrity_Answers400()
    {
        using var agent = CreateAgent();

        var result = agent.ProcessDatagram(ChromiumCheck(integrity: false), Browser);

        Assert.Equal(IceCheckOutcome.BadRequest, result.Outcome);
        Assert.Equal(400, ParseResponse(result.Response).GetErrorCode()!.Value.Code);
        Assert.Equal(1, agent.BadRequestCount);
    }

    [Fact]
    public void ProcessDatagram_PeerClaimsControlled_Answers487WithIntegrity()
    {
        using var agent = CreateAgent();

        var result = agent.ProcessDatagram(ChromiumCheck(controlled: true), Browser);

        Assert.Equal(IceCheckOutcome.RoleConflict, result.Outcome);
        var response = ParseResponse(result.Response);
        Assert.Equal(487, response.GetErrorCode()!.Value.Code);
        Assert.True(response.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Local.Password)));
        Assert.Equal(1, agent.RoleConflictCount);
    }

    [Fact]
    public void ProcessDatagram_IndicationAndResponse_AreIgnoredWithoutReply()
    {
        using var agent = CreateAgent();
        byte[] indication = new StunMessageWriter(StunMessageType.BindingIndication, new byte[12]).AddFingerprint().ToArray();

        var first = agent.ProcessDatagram(indication, Browser);
        var second = agent.ProcessDatagram(StunMessageTests.SampleIPv4Response, Browser);

        Assert.Equal(IceCheckOutcome.Ignored, first.Outcome);
        Assert.Null(first.Response);
        Assert.Equal(IceCheckOutcome.Ignored, second.Outcome);
        Assert.Equal(2, agent.IgnoredCount);
    }

    [Fact]
    public void ProcessDatagram_RandomGarbage_IsDroppedAndCounted()
    {
        using var agent = CreateAgent();
        var random = new Random(8445);
        int malformed = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] input = i % 2 == 0 ? new byte[random.Next(0, 80)] : ChromiumCheck(seed: i);
            if (i % 2 == 0)
            {
                random.NextBytes(input);
            }
            else
            {
                input[random.Next(input.Length)] ^= (byte)random.Next(1, 256);
            }

            var result = agent.ProcessDatagram(input, Browser);
            if (result.Outcome == IceCheckOutcome.Malformed)
            {
                Assert.Null(result.Response);
                malformed++;
            }
        }

        Assert.Equal(malformed, agent.MalformedCount);
        // Mutating FINGERPRINT's type code leaves a message without FINGERPRINT whose MESSAGE-INTEGRITY
        // (which does not cover what follows it, RFC 8489 §14.5) still holds: a legitimately valid check.
        Assert.True(malformed >= 1950, $"{malformed} malformed");
        Assert.Equal(
            2000 - malformed,
            agent.ValidCheckCount + agent.UnauthorizedCount + agent.BadRequestCount + agent.IgnoredCount + agent.RoleConflictCount);
    }

    [Fact]
    public async Task ConsentLost_NoCheckForTimeout_Completes()
    {
        using var agent = CreateAgent();

        _time.Advance(TimeSpan.FromSeconds(29.9));
        Assert.False(agent.ConsentLost.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));

        await agent.ConsentLost.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(agent.ConsentLost.IsCompletedSuccessfully);
    }

    [Fact]
    public void ConsentLost_ValidChecksKeepConsent_ExpiresTimeoutAfterLastCheck()
    {
        using var agent = CreateAgent();

        for (int i = 0; i < 10; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(20));
            Assert.Equal(IceCheckOutcome.Accepted, agent.ProcessDatagram(ChromiumCheck(seed: i), Browser).Outcome);
        }

        Assert.False(agent.ConsentLost.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(agent.ConsentLost.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(agent.ConsentLost.IsCompletedSuccessfully);
    }

    [Fact]
    public void ConsentLost_OnlyUnauthorizedChecks_StillExpires()
    {
        using var agent = CreateAgent(TimeSpan.FromSeconds(10));

        for (int i = 0; i < 9; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            agent.ProcessDatagram(ChromiumCheck(password: "wrongwrongwrongwrongwrong", seed: i), Browser);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(agent.ConsentLost.IsCompletedSuccessfully);
        Assert.Equal(9, agent.UnauthorizedCount);
    }

    [Fact]
    public void Dispose_BeforeExpiry_CancelsConsentTaskAndStopsTimer()
    {
        var agent = CreateAgent();
        agent.Dispose();

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(agent.ConsentLost.IsCanceled);
        Assert.Equal(0, _time.ActiveTimerCount);
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsListingProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new IceLiteAgent(
            Local, RemoteUfrag, new IceOptions { ConsentTimeout = TimeSpan.Zero }, _time, NullLogger<IceLiteAgent>.Instance));
        Assert.Contains("ConsentTimeout", error.Message, StringComparison.Ordinal);
    }
}
