using RealtimeHead.Testing.Sdp;
using RealtimeHead.WebRtc.Sdp;

namespace RealtimeHead.WebRtc.Tests.Sdp;

public sealed class SdpSessionDescriptionTests
{
    [Fact]
    public void TryParse_ChromiumOffer_ReadsSessionAndMediaSections()
    {
        Assert.True(SdpSessionDescription.TryParse(ChromiumOffer.Text, out var offer, out var error), error?.ToString());

        Assert.Equal(3, offer!.Media.Count);
        Assert.Equal(["audio", "video", "application"], offer.Media.Select(m => m.Media));
        Assert.Equal(["0", "1", "2"], offer.Media.Select(m => m.Mid));
        Assert.Equal(["111", "63", "9", "0", "8", "13", "110", "126"], offer.Media[0].Formats);
        Assert.Equal(25, offer.Media[1].Formats.Count);
        Assert.Equal(54321, offer.Media[0].Port);
        Assert.Equal("UDP/TLS/RTP/SAVPF", offer.Media[1].Protocol);
        Assert.Equal(["webrtc-datachannel"], offer.Media[2].Formats);
        var bundle = Assert.Single(offer.BundleGroups);
        Assert.Equal(["0", "1", "2"], bundle);
        Assert.Equal(string.Empty, offer.GetAttribute("extmap-allow-mixed"));
        Assert.Equal("Vx4q", offer.Media[0].GetAttribute("ice-ufrag"));
        Assert.Equal(3, offer.Media[0].GetAttributeValues("candidate").Count());
        Assert.Equal(12, offer.Media[1].GetAttributeValues("extmap").Count());
        Assert.Equal(SdpMediaDirection.SendRecv, SdpMediaDirections.Of(offer.Media[0]));
        Assert.Equal(SdpMediaDirection.RecvOnly, SdpMediaDirections.Of(offer.Media[1]));
    }

    [Fact]
    public void ToString_ParsedChromiumOffer_ReproducesTextExactly()
    {
        Assert.True(SdpSessionDescription.TryParse(ChromiumOffer.Text, out var offer, out _));
        Assert.Equal(ChromiumOffer.Text, offer!.ToString());
    }

    [Fact]
    public void TryParse_LfLineEndsAndUnknownLineTypes_AreKept()
    {
        const string text = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nz=unknown session line\nt=0 0\na=x-custom:42\nm=audio 9 RTP/AVP 0\nk=prompt\na=flag\n";

        Assert.True(SdpSessionDescription.TryParse(text, out var description, out _));

        Assert.Contains(new SdpLine('z', "unknown session line"), description!.Lines);
        Assert.Equal("42", description.GetAttribute("x-custom"));
        Assert.Equal([new SdpLine('k', "prompt"), new SdpLine('a', "flag")], description.Media[0].Lines);
        Assert.Equal(text.ReplaceLineEndings("\r\n"), description.ToString());
    }

    [Theory]
    [InlineData(null, 0, "empty")]
    [InlineData("", 0, "empty")]
    [InlineData("   \r\n ", 0, "empty")]
    [InlineData("hello world", 1, "expected '<letter>=<value>'")]
    [InlineData("<html><body>502 Bad Gateway</body></html>", 1, "expected")]
    [InlineData("{\"type\":\"offer\",\"sdp\":\"v=0\"}", 1, "expected")]
    [InlineData("v=1\r\n", 1, "starts with 'v=0'")]
    [InlineData("o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n", 1, "starts with 'v=0'")]
    [InlineData("v=0\r\ns=-\r\nm=audio\r\n", 3, "malformed media line")]
    [InlineData("v=0\r\nm=audio port UDP/TLS/RTP/SAVPF 111\r\n", 2, "malformed media line")]
    [InlineData("v=0\r\nm=audio 70000 UDP/TLS/RTP/SAVPF 111\r\n", 2, "malformed media line")]
    [InlineData("v=0\r\nm=audio 9/0 UDP/TLS/RTP/SAVPF 111\r\n", 2, "malformed media line")]
    [InlineData("v=0\r\nA=foo\r\n", 2, "expected")]
    [InlineData("v=0\r\na\r\n", 2, "expected")]
    [InlineData("v=0\r\na=foo\0bar\r\n", 2, "NUL")]
    public void TryParse_Garbage_ReturnsLineAndReason(string? text, int line, string fragment)
    {
        Assert.False(SdpSessionDescription.TryParse(text, out var description, out var error));
        Assert.Null(description);
        Assert.Equal(line, error!.Line);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_OversizedText_IsRefused()
    {
        string text = "v=0\r\n" + string.Concat(Enumerable.Repeat("a=x-padding:" + new string('x', 1000) + "\r\n", 300));
        Assert.False(SdpSessionDescription.TryParse(text, out _, out var error));
        Assert.Contains("limit", error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RandomText_NeverThrows()
    {
        var random = new Random(8866);
        const string alphabet = "v=0amoct\r\n :/ 0123456789abcxyzUDP/TLS\0é";
        int rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (int c = 0; c < chars.Length; c++)
            {
                chars[c] = i % 3 == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
            }

            string text = (i % 2 == 0 ? "v=0\r\n" : string.Empty) + new string(chars);
            if (!SdpSessionDescription.TryParse(text, out _, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error!.Message));
                rejected++;
            }
        }

        Assert.True(rejected > 1500, $"only {rejected} rejected");
    }
}
