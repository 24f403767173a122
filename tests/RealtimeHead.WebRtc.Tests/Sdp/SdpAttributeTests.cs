using RealtimeHead.Testing.Sdp;
using RealtimeHead.WebRtc.Sdp;

namespace RealtimeHead.WebRtc.Tests.Sdp;

public sealed class SdpAttributeTests
{
    [Fact]
    public void RtpMap_Opus_ParsesAndFormats()
    {
        Assert.True(SdpRtpMap.TryParse("111 opus/48000/2", out var map));
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), map);
        Assert.True(map!.Is("OPUS", 48000));
        Assert.Equal("111 opus/48000/2", map.ToSdpValue());
        Assert.True(SdpRtpMap.TryParse("96 VP8/90000", out var vp8));
        Assert.Equal("96 VP8/90000", vp8!.ToSdpValue());
    }

    [Theory]
    [InlineData("")]
    [InlineData("111")]
    [InlineData("128 opus/48000/2")]
    [InlineData("x opus/48000/2")]
    [InlineData("111 opus")]
    [InlineData("111 opus/abc")]
    [InlineData("111 opus/48000/2/1")]
    [InlineData("111 opus/0")]
    [InlineData("111 opus/48000/0")]
    public void RtpMap_Malformed_ReturnsFalse(string value)
    {
        Assert.False(SdpRtpMap.TryParse(value, out var map));
        Assert.Null(map);
    }

    [Fact]
    public void Fmtp_Parameters_AreSplitIntoMap()
    {
        Assert.True(SdpFmtp.TryParse("103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f", out var fmtp));
        Assert.Equal(103, fmtp!.PayloadType);
        Assert.Equal("42001f", fmtp.ParameterMap["profile-level-id"]);
        Assert.Equal(3, fmtp.ParameterMap.Count);
        Assert.False(SdpFmtp.TryParse("abc minptime=10", out _));
    }

    [Fact]
    public void RtcpFeedback_TypesParametersAndWildcard()
    {
        Assert.True(SdpRtcpFeedback.TryParse("96 nack pli", out var pli));
        Assert.True(pli!.Is("nack", "pli"));
        Assert.False(pli.Is("nack"));
        Assert.True(pli.AppliesTo(96));
        Assert.False(pli.AppliesTo(97));
        Assert.True(SdpRtcpFeedback.TryParse("* ccm fir", out var fir));
        Assert.True(fir!.AppliesTo(42));
        Assert.Equal("* ccm fir", fir.ToSdpValue());
        Assert.False(SdpRtcpFeedback.TryParse("96", out _));
        Assert.False(SdpRtcpFeedback.TryParse("300 nack", out _));
    }

    [Fact]
    public void ExtMap_IdDirectionAndUri()
    {
        Assert.True(SdpExtMap.TryParse("3/recvonly http://example.com/ext attr", out var map));
        Assert.Equal(new SdpExtMap(3, "http://example.com/ext", "recvonly", "attr"), map);
        Assert.Equal("3/recvonly http://example.com/ext attr", map!.ToSdpValue());
        Assert.False(SdpExtMap.TryParse("0 urn:x", out _));
        Assert.False(SdpExtMap.TryParse("15 urn:x", out _));
        Assert.False(SdpExtMap.TryParse("256 urn:x", out _));
        Assert.False(SdpExtMap.TryParse("4", out _));
    }

    [Fact]
    public void Ssrc_AttributeAndGroup()
    {
        Assert.True(SdpSsrcAttribute.TryParse("2417795937 msid:stream track", out var attribute));
        Assert.Equal(new SdpSsrcAttribute(2417795937, "msid", "stream track"), attribute);
        Assert.True(SdpSsrcGroup.TryParse("FID 1001 1002", out var group));
        Assert.Equal("FID", group!.Semantics);
        Assert.Equal([1001u, 1002u], group.Ssrcs);
        Assert.False(SdpSsrcAttribute.TryParse("-1 cname:x", out _));
        Assert.False(SdpSsrcAttribute.TryParse("4294967296 cname:x", out _));
        Assert.False(SdpSsrcGroup.TryParse("FID", out _));
        Assert.False(SdpSsrcGroup.TryParse("FID 1 x", out _));
    }

    [Fact]
    public void Fingerprint_Sha256_ParsesFormatsAndChecksLength()
    {
        Assert.True(SdpFingerprint.TryParse("SHA-256 " + ChromiumOffer.FingerprintHex, out var fingerprint));
        Assert.Equal("sha-256", fingerprint!.Algorithm);
        Assert.Equal(32, fingerprint.Value.Length);
        Assert.Equal(0x3A, fingerprint.Value[0]);
        Assert.True(fingerprint.IsSupported);
        Assert.Equal("sha-256 " + ChromiumOffer.FingerprintHex, fingerprint.ToSdpValue());
        Assert.Equal(fingerprint, new SdpFingerprint("sha-256", (byte[])fingerprint.Value.Clone()));

        Assert.True(SdpFingerprint.TryParse("sha-256 AB:CD", out var shortOne));
        Assert.False(shortOne!.IsSupported);
        Assert.True(SdpFingerprint.TryParse("md5 " + string.Join(':', Enumerable.Repeat("AB", 16)), out var md5));
        Assert.False(md5!.IsSupported);
        Assert.False(SdpFingerprint.TryParse("sha-256", out _));
        Assert.False(SdpFingerprint.TryParse("sha-256 ZZ:00", out _));
        Assert.False(SdpFingerprint.TryParse("sha-256 ABC:00", out _));
    }

    [Theory]
    [InlineData(0, true, true, 0)]
    [InlineData(1, true, true, 2)]
    [InlineData(2, true, true, 1)]
    [InlineData(3, true, true, 3)]
    [InlineData(0, true, false, 1)]
    [InlineData(2, true, false, 1)]
    [InlineData(1, true, false, 3)]
    public void Direction_Answer_FollowsRfc3264(int offered, bool weSend, bool weReceive, int expected)
    {
        Assert.Equal((SdpMediaDirection)expected, SdpMediaDirections.Answer((SdpMediaDirection)offered, weSend, weReceive));
    }
}
