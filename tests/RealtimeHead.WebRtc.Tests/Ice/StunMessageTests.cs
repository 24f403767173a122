using System.Net;
using System.Text;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Tests.Ice;

public sealed class StunMessageTests
{
    internal const string Rfc5769Password = "VOkJxbRl1RmTxUk/WvJxBt";

    // RFC 5769 §2.1 Sample Request (padding bytes are spaces on purpose).
    internal static readonly byte[] SampleRequest = Hex.Parse("""
        00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
        00 24 00 04 6e 00 01 ff
        80 29 00 08 93 2f f9 b1 51 26 3b 36
        00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
        00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
        80 28 00 04 e5 7a 3b cf
        """);

    // RFC 5769 §2.2 Sample IPv4 Response.
    internal static readonly byte[] SampleIPv4Response = Hex.Parse("""
        01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 08 00 01 a1 47 e1 12 a6 43
        00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
        80 28 00 04 c0 7d 4c 96
        """);

    // RFC 5769 §2.3 Sample IPv6 Response.
    internal static readonly byte[] SampleIPv6Response = Hex.Parse("""
        01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
        80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
        00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
        00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
        80 28 00 04 c8 fb 0b 4c
        """);

    private static readonly byte[] TransactionId = Hex.Parse("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    private static byte[] Key => Encoding.UTF8.GetBytes(Rfc5769Password);

    [Fact]
    public void TryParse_Rfc5769SampleRequest_DecodesEveryAttribute()
    {
        Assert.True(StunMessage.TryParse(SampleRequest, out var message, out var error));
        Assert.Equal(StunParseError.None, error);
        Assert.Equal(StunMessageType.BindingRequest, message!.Type);
        Assert.Equal(TransactionId, message.TransactionId.ToArray());
        Assert.Equal("evtj:h6vY", message.GetUsername());
        Assert.Equal(0x6e0001ffu, message.GetPriority());
        Assert.Equal(0x932ff9b151263b36ul, message.GetTieBreaker(StunAttributeType.IceControlled));
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software.Span));
        Assert.True(message.HasFingerprint);
        Assert.True(message.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void VerifyMessageIntegrity_WrongPassword_ReturnsFalse()
    {
        Assert.True(StunMessage.TryParse(SampleRequest, out var message, out _));
        Assert.False(message!.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
    }

    [Fact]
    public void Writer_Rfc5769SampleRequest_ReproducesBytes()
    {
        byte[] written = new StunMessageWriter(StunMessageType.BindingRequest, TransactionId, paddingByte: 0x20)
            .AddSoftware("STUN test client")
            .AddPriority(0x6e0001ff)
            .AddIceControlled(0x932ff9b151263b36)
            .AddUsername("evtj:h6vY")
            .AddMessageIntegrity(Key)
            .AddFingerprint()
            .ToArray();

        Assert.Equal(Convert.ToHexString(SampleRequest), Convert.ToHexString(written));
    }

    [Fact]
    public void TryParse_Rfc5769IPv4Response_DecodesMappedAddress()
    {
        Assert.True(StunMessage.TryParse(SampleIPv4Response, out var message, out _));
        Assert.Equal(StunMessageType.BindingSuccess, message!.Type);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), message.GetXorMappedAddress());
        Assert.True(message.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void Writer_Rfc5769IPv4Response_ReproducesBytes()
    {
        byte[] written = new StunMessageWriter(StunMessageType.BindingSuccess, TransactionId, paddingByte: 0x20)
            .AddSoftware("test vector")
            .AddXorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853))
            .AddMessageIntegrity(Key)
            .AddFingerprint()
            .ToArray();

        Assert.Equal(Convert.ToHexString(SampleIPv4Response), Convert.ToHexString(written));
    }

    [Fact]
    public void TryParse_Rfc5769IPv6Response_DecodesMappedAddress()
    {
        Assert.True(StunMessage.TryParse(SampleIPv6Response, out var message, out _));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), message!.GetXorMappedAddress());
        Assert.True(message.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void Writer_Rfc5769IPv6Response_ReproducesBytes()
    {
        byte[] written = new StunMessageWriter(StunMessageType.BindingSuccess, TransactionId, paddingByte: 0x20)
            .AddSoftware("test vector")
            .AddXorMappedAddress(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853))
            .AddMessageIntegrity(Key)
            .AddFingerprint()
            .ToArray();

        Assert.Equal(Convert.ToHexString(SampleIPv6Response), Convert.ToHexString(written));
    }

    [Theory]
    [InlineData(0x0001, 0)]
    [InlineData(0x0011, 1)]
    [InlineData(0x0101, 2)]
    [InlineData(0x0111, 3)]
    public void MessageType_BindingClasses_MatchRfc8489Encoding(int wire, int classValue)
    {
        var cls = (StunMessageClass)classValue;
        var type = StunMessageType.FromUInt16((ushort)wire);
        Assert.Equal(StunMethod.Binding, type.Method);
        Assert.Equal(cls, type.Class);
        Assert.Equal(wire, type.ToUInt16());
    }

    [Fact]
    public void MessageType_AllMethodsAndClasses_RoundTrip()
    {
        for (int method = 0; method < 0x1000; method++)
        {
            for (int cls = 0; cls < 4; cls++)
            {
                var type = new StunMessageType((ushort)method, (StunMessageClass)cls);
                Assert.Equal(type, StunMessageType.FromUInt16(type.ToUInt16()));
            }
        }
    }

    [Fact]
    public void TryParse_UnknownOptionalAttribute_IsSkippedAndIntegrityStillVerifies()
    {
        byte[] written = new StunMessageWriter(StunMessageType.BindingRequest, TransactionId)
            .AddAttribute(0xC057, [0x00, 0x01, 0x00, 0x0A])
            .AddUsername("a:b")
            .AddAttribute(0x7FFE, [1, 2, 3])
            .AddMessageIntegrity(Key)
            .AddFingerprint()
            .ToArray();

        Assert.True(StunMessage.TryParse(written, out var message, out _));
        Assert.Equal("a:b", message!.GetUsername());
        Assert.Equal(5, message.Attributes.Count);
        Assert.True(message.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void TryParse_AttributeAfterIntegrity_IsIgnored()
    {
        // Hand-build: USERNAME, MESSAGE-INTEGRITY, then SOFTWARE, which RFC 8489 §14.5 says to ignore.
        byte[] signed = new StunMessageWriter(StunMessageType.BindingRequest, TransactionId)
            .AddUsername("a:b")
            .AddMessageIntegrity(Key)
            .ToArray();
        byte[] extra = [0x80, 0x22, 0x00, 0x04, (byte)'x', (byte)'y', (byte)'z', (byte)'w'];
        byte[] datagram = [.. signed, .. extra];
        datagram[3] = (byte)(datagram.Length - 20);

        Assert.True(StunMessage.TryParse(datagram, out var message, out _));
        Assert.False(message!.HasAttribute(StunAttributeType.Software));
        Assert.True(message.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void TryParse_CorruptedFingerprint_ReportsBadFingerprint()
    {
        byte[] copy = (byte[])SampleRequest.Clone();
        copy[^1] ^= 0x01;
        Assert.False(StunMessage.TryParse(copy, out var message, out var error));
        Assert.Null(message);
        Assert.Equal(StunParseError.BadFingerprint, error);
    }

    [Fact]
    public void TryParse_CorruptedBody_FailsFingerprintOrIntegrity()
    {
        byte[] copy = (byte[])SampleRequest.Clone();
        copy[60] ^= 0x40; // USERNAME's type
        Assert.False(StunMessage.TryParse(copy, out _, out var error));
        Assert.Equal(StunParseError.BadFingerprint, error);
    }

    [Theory]
    [InlineData("", nameof(StunParseError.TooShort))]
    [InlineData("0001000021", nameof(StunParseError.TooShort))]
    [InlineData("c0010000 2112a442 000000000000000000000000", nameof(StunParseError.NotStun))]
    [InlineData("00010000 2112a443 000000000000000000000000", nameof(StunParseError.BadMagicCookie))]
    [InlineData("00010002 2112a442 000000000000000000000000 0000", nameof(StunParseError.BadLength))]
    [InlineData("00010004 2112a442 000000000000000000000000", nameof(StunParseError.BadLength))]
    [InlineData("00010004 2112a442 000000000000000000000000 00060008", nameof(StunParseError.TruncatedAttribute))]
    [InlineData("00010008 2112a442 000000000000000000000000 00080004 00000000", nameof(StunParseError.BadMessageIntegrity))]
    [InlineData("00010008 2112a442 000000000000000000000000 80280008 00000000", nameof(StunParseError.TruncatedAttribute))]
    public void TryParse_MalformedHeaderOrAttributes_ReturnsError(string hex, string expectedName)
    {
        var expected = Enum.Parse<StunParseError>(expectedName);
        Assert.False(StunMessage.TryParse(Hex.Parse(hex), out var message, out var error));
        Assert.Null(message);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void TryParse_EveryTruncation_NeverThrowsAndFails()
    {
        for (int length = 0; length < SampleRequest.Length; length++)
        {
            Assert.False(StunMessage.TryParse(SampleRequest.AsSpan(0, length), out _, out var error));
            Assert.NotEqual(StunParseError.None, error);
        }
    }

    [Fact]
    public void TryParse_RandomAndMutatedInput_NeverThrows()
    {
        var random = new Random(5769);
        int mutatedParsed = 0;
        int randomRejected = 0;
        byte[][] seeds = [SampleRequest, SampleIPv4Response, SampleIPv6Response];
        for (int i = 0; i < 5000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 120)];
                random.NextBytes(input);
                if (input.Length >= 8 && i % 4 == 0)
                {
                    // Give half of them a plausible header so the attribute walker is exercised.
                    input[0] = 0;
                    input[1] = 1;
                    input[2] = 0;
                    input[3] = (byte)(input.Length - 20 < 0 ? 0 : (input.Length - 20) & ~3);
                    input[4] = 0x21;
                    input[5] = 0x12;
                    input[6] = 0xa4;
                    input[7] = 0x42;
                }
            }
            else
            {
                input = (byte[])seeds[i % 3].Clone();
                int flips = random.Next(1, 4);
                for (int f = 0; f < flips; f++)
                {
                    input[random.Next(input.Length)] ^= (byte)random.Next(1, 256);
                }
            }

            if (!StunMessage.TryParse(input, out var message, out var error))
            {
                Assert.NotEqual(StunParseError.None, error);
                randomRejected += i % 2 == 0 ? 1 : 0;
            }
            else
            {
                if (i % 2 == 1)
                {
                    // Only a mutation of FINGERPRINT's own type code can survive: the message then simply
                    // has no FINGERPRINT (it is optional in STUN). No mutated message may keep a valid one.
                    mutatedParsed++;
                    Assert.False(message!.HasFingerprint);
                }

                _ = message!.GetUsername();
                _ = message.GetXorMappedAddress();
                _ = message.GetErrorCode();
                _ = message.VerifyMessageIntegrity(Key);
            }
        }

        Assert.InRange(mutatedParsed, 1, 250);
        Assert.True(randomRejected > 2000, $"only {randomRejected} random inputs rejected");
    }

    [Fact]
    public void ErrorCode_RoundTrip_KeepsCodeAndReason()
    {
        byte[] encoded = new StunErrorCode(487, "Role Conflict").Encode();
        Assert.Equal(new byte[] { 0, 0, 4, 87 }, encoded[..4]);
        Assert.True(StunErrorCode.TryDecode(encoded, out var decoded));
        Assert.Equal(new StunErrorCode(487, "Role Conflict"), decoded);
        Assert.False(StunErrorCode.TryDecode([0, 0, 2, 0], out _));
        Assert.False(StunErrorCode.TryDecode([0, 0, 4], out _));
    }

    [Fact]
    public void Crc32_KnownCheckValue_Matches()
    {
        // The standard CRC-32 check value for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }
}
