using RealtimeHead.Testing.Sdp;
using System.Net;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Sdp;

namespace RealtimeHead.WebRtc.Tests.Sdp;

public sealed class SdpAnswererTests
{
    private static readonly byte[] OurFingerprint = Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray();

    private static LocalSdpParameters Local(IEnumerable<IPAddress>? addresses = null) =>
        new(
            new IceCredentials("srvU", "serverPassword0123456789"),
            new SdpFingerprint("sha-256", OurFingerprint),
            IceCandidate.CreateHostCandidates(addresses ?? [IPAddress.Parse("203.0.113.5")], 50000))
        {
            AudioSsrc = 11111111,
            VideoSsrc = 22222222,
            Cname = "rhcname",
            StreamId = "rhstream",
            AudioTrackId = "rhaudio",
            VideoTrackId = "rhvideo",
            SessionId = 123456789,
        };

    private static string Without(string text, string linePrefix) =>
        string.Concat(text.Split("\r\n").Where(l => l.Length > 0 && !l.StartsWith(linePrefix, StringComparison.Ordinal)).Select(l => l + "\r\n"));

    private static SdpNegotiationResult Accept(string offer)
    {
        var result = SdpAnswerer.Negotiate(offer, Local());
        Assert.True(result.IsAccepted, result.Message);
        return result;
    }

    private static SdpMediaDescription ParsedAnswerSection(SdpNegotiationResult result, int index)
    {
        Assert.True(SdpSessionDescription.TryParse(result.AnswerSdp, out var answer, out var error), error?.ToString());
        return answer!.Media[index];
    }

    [Fact]
    public void Negotiate_ChromiumOffer_ExposesNegotiatedSession()
    {
        var session = Accept(ChromiumOffer.Text).Session!;

        Assert.Equal(ChromiumOffer.Ufrag, session.RemoteIceUfrag);
        Assert.Equal(ChromiumOffer.Password, session.RemoteIcePassword);
        Assert.Equal("sha-256", session.RemoteFingerprint.Algorithm);
        Assert.Equal(Convert.FromHexString(ChromiumOffer.FingerprintHex.Replace(":", string.Empty, StringComparison.Ordinal)), session.RemoteFingerprint.Value);
        Assert.Equal(["0", "1"], session.BundleMids);
        Assert.True(session.IsDtlsServer);

        Assert.Equal("0", session.Audio.Mid);
        Assert.Equal(111, session.Audio.PayloadType);
        Assert.Equal(SdpMediaDirection.SendRecv, session.Audio.Direction);
        Assert.Equal([ChromiumOffer.AudioSsrc], session.Audio.RemoteSsrcs);
        Assert.Empty(session.Audio.RemoteSsrcGroups);
        Assert.Equal(11111111u, session.Audio.LocalSsrc);
        Assert.Equal(1, session.Audio.GetExtensionId(RtpHeaderExtensionUris.AudioLevel));
        Assert.Equal(3, session.Audio.GetExtensionId(RtpHeaderExtensionUris.TransportWideCc));
        Assert.Equal(4, session.Audio.GetExtensionId(RtpHeaderExtensionUris.SdesMid));
        Assert.Null(session.Audio.GetExtensionId(RtpHeaderExtensionUris.AbsSendTime));
        Assert.Equal(new NegotiatedFeedback(false, false, false, false, TransportCc: true), session.Audio.Feedback);
        Assert.True(session.Audio.ReducedSizeRtcp);

        Assert.Equal("1", session.Video.Mid);
        Assert.Equal(96, session.Video.PayloadType);
        Assert.Equal(SdpMediaDirection.SendOnly, session.Video.Direction);
        Assert.True(session.Video.WeSend);
        Assert.False(session.Video.WeReceive);
        Assert.Empty(session.Video.RemoteSsrcs);
        Assert.Equal(22222222u, session.Video.LocalSsrc);
        Assert.Equal(3, session.Video.HeaderExtensions.Count);
        Assert.Equal(2, session.Video.GetExtensionId(RtpHeaderExtensionUris.AbsSendTime));
        Assert.Equal(3, session.Video.GetExtensionId(RtpHeaderExtensionUris.TransportWideCc));
        Assert.Equal(4, session.Video.GetExtensionId(RtpHeaderExtensionUris.SdesMid));
        Assert.Equal(new NegotiatedFeedback(Nack: true, Pli: true, Fir: true, Remb: true, TransportCc: true), session.Video.Feedback);

        Assert.Equal(3, session.RemoteCandidates.Count);
        Assert.Contains(session.RemoteCandidates, c => c.Type == IceCandidateType.ServerReflexive && c.Address == "198.51.100.7");
    }

    [Fact]
    public void Negotiate_ChromiumOffer_AnswerHasRequiredSessionLines()
    {
        var result = Accept(ChromiumOffer.Text);
        Assert.True(SdpSessionDescription.TryParse(result.AnswerSdp, out var answer, out _));

        Assert.StartsWith("v=0\r\no=- 123456789 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n", result.AnswerSdp, StringComparison.Ordinal);
        Assert.Equal(string.Empty, answer!.GetAttribute("ice-lite"));
        Assert.Equal(["0", "1"], Assert.Single(answer.BundleGroups));
        Assert.Equal(3, answer.Media.Count);
        Assert.EndsWith("\r\n", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void Negotiate_ChromiumOffer_AudioSectionIsSendRecvOpus()
    {
        var audio = ParsedAnswerSection(Accept(ChromiumOffer.Text), 0);

        Assert.Equal("audio 50000 UDP/TLS/RTP/SAVPF 111", audio.MediaLineValue);
        string[] expected =
        [
            "c=IN IP4 203.0.113.5",
            $"a=candidate:{IceCandidate.ComputeFoundation(IceCandidateType.Host, IPAddress.Parse("203.0.113.5"), "udp")} 1 udp 2130706431 203.0.113.5 50000 typ host",
            "a=end-of-candidates",
            "a=ice-ufrag:srvU",
            "a=ice-pwd:serverPassword0123456789",
            "a=fingerprint:sha-256 " + string.Join(':', OurFingerprint.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))),
            "a=setup:passive",
            "a=mid:0",
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01",
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid",
            "a=sendrecv",
            "a=msid:rhstream rhaudio",
            "a=rtcp-mux",
            "a=rtcp-rsize",
            "a=rtpmap:111 opus/48000/2",
            "a=rtcp-fb:111 transport-cc",
            "a=fmtp:111 minptime=10;useinbandfec=1",
            "a=ssrc:11111111 cname:rhcname",
            "a=ssrc:11111111 msid:rhstream rhaudio",
        ];
        Assert.Equal(expected, audio.Lines.Select(l => l.ToString()));
    }

    [Fact]
    public void Negotiate_ChromiumOffer_VideoSectionIsSendOnlyVp8WithOfferedFeedback()
    {
        var video = ParsedAnswerSection(Accept(ChromiumOffer.Text), 1);

        Assert.Equal("video 50000 UDP/TLS/RTP/SAVPF 96", video.MediaLineValue);
        Assert.Equal("1", video.Mid);
        Assert.Equal("passive", video.GetAttribute("setup"));
        Assert.Equal("srvU", video.GetAttribute("ice-ufrag"));
        Assert.True(video.HasAttribute("sendonly"));
        Assert.False(video.HasAttribute("sendrecv"));
        Assert.True(video.HasAttribute("rtcp-mux"));
        Assert.True(video.HasAttribute("rtcp-rsize"));
        Assert.Equal("96 VP8/90000", video.GetAttribute("rtpmap"));
        Assert.Equal(
            ["96 goog-remb", "96 transport-cc", "96 ccm fir", "96 nack", "96 nack pli"],
            video.GetAttributeValues("rtcp-fb"));
        Assert.Null(video.GetAttribute("fmtp"));
        Assert.Equal(
            ["2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time", "3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "4 urn:ietf:params:rtp-hdrext:sdes:mid"],
            video.GetAttributeValues("extmap"));
        Assert.Equal("rhstream rhvideo", video.GetAttribute("msid"));
        Assert.Equal(["22222222 cname:rhcname", "22222222 msid:rhstream rhvideo"], video.GetAttributeValues("ssrc"));

        // Candidates belong to the BUNDLE-tag section only (RFC 8829 §5.3.1).
        Assert.Empty(video.GetAttributeValues("candidate"));
        Assert.Single(video.Lines, l => l.Type == 'a' && l.Value.StartsWith("rtpmap", StringComparison.Ordinal));
    }

    [Fact]
    public void Negotiate_ChromiumOffer_DataChannelSectionIsRejectedWithPortZero()
    {
        var application = ParsedAnswerSection(Accept(ChromiumOffer.Text), 2);

        Assert.Equal("application 0 UDP/DTLS/SCTP webrtc-datachannel", application.MediaLineValue);
        Assert.Equal("2", application.Mid);
        Assert.DoesNotContain(application.Lines, l => l.Value.StartsWith("ice-ufrag", StringComparison.Ordinal));
    }

    [Fact]
    public void Negotiate_AnswerAsOffer_ParsesBackAndNegotiatesAgain()
    {
        // Our answer is valid SDP for our own parser and carries every line the answerer needs.
        var first = Accept(ChromiumOffer.Text);
        string asOffer = first.AnswerSdp!.Replace("a=setup:passive", "a=setup:actpass", StringComparison.Ordinal)
            .Replace("a=sendonly", "a=recvonly", StringComparison.Ordinal);

        var second = SdpAnswerer.Negotiate(asOffer, Local());

        Assert.True(second.IsAccepted, second.Message);
        Assert.Equal("srvU", second.Session!.RemoteIceUfrag);
        Assert.Equal(OurFingerprint, second.Session.RemoteFingerprint.Value);
        Assert.Equal([11111111u], second.Session.Audio.RemoteSsrcs);
    }

    [Fact]
    public void Negotiate_Vp8UnderOtherPayloadType_UsesOfferedType()
    {
        string offer = ChromiumOffer.Text
            .Replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP9/90000", StringComparison.Ordinal)
            .Replace("a=rtpmap:98 VP9/90000", "a=rtpmap:98 VP8/90000", StringComparison.Ordinal);

        var result = Accept(offer);

        Assert.Equal(98, result.Session!.Video.PayloadType);
        Assert.Equal("98 VP8/90000", ParsedAnswerSection(result, 1).GetAttribute("rtpmap"));
        Assert.Equal("video 50000 UDP/TLS/RTP/SAVPF 98", ParsedAnswerSection(result, 1).MediaLineValue);
    }

    [Fact]
    public void Negotiate_OpusUnderOtherPayloadType_UsesOfferedType()
    {
        string offer = ChromiumOffer.Text
            .Replace("SAVPF 111 63", "SAVPF 109 63", StringComparison.Ordinal)
            .Replace("a=rtpmap:111 opus", "a=rtpmap:109 opus", StringComparison.Ordinal)
            .Replace("a=rtcp-fb:111 ", "a=rtcp-fb:109 ", StringComparison.Ordinal)
            .Replace("a=fmtp:111 ", "a=fmtp:109 ", StringComparison.Ordinal);

        var result = Accept(offer);

        Assert.Equal(109, result.Session!.Audio.PayloadType);
        Assert.Equal("109 minptime=10;useinbandfec=1", ParsedAnswerSection(result, 0).GetAttribute("fmtp"));
    }

    [Fact]
    public void Negotiate_OfferWithoutRembAndTransportCc_AnswersOnlyNackPliFir()
    {
        string offer = Without(Without(ChromiumOffer.Text, "a=rtcp-fb:96 goog-remb"), "a=rtcp-fb:96 transport-cc");

        var result = Accept(offer);

        Assert.Equal(new NegotiatedFeedback(Nack: true, Pli: true, Fir: true, Remb: false, TransportCc: false), result.Session!.Video.Feedback);
        var video = ParsedAnswerSection(result, 1);
        Assert.Equal(["96 ccm fir", "96 nack", "96 nack pli"], video.GetAttributeValues("rtcp-fb"));
        Assert.Equal(["4 urn:ietf:params:rtp-hdrext:sdes:mid"], video.GetAttributeValues("extmap"));
    }

    [Fact]
    public void Negotiate_WildcardFeedback_AppliesToVp8()
    {
        string offer = Without(ChromiumOffer.Text, "a=rtcp-fb:96 ").Replace("a=rtpmap:96 VP8/90000", "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:* nack", StringComparison.Ordinal);

        var result = Accept(offer);

        Assert.Equal(new NegotiatedFeedback(Nack: true, Pli: false, Fir: false, Remb: false, TransportCc: false), result.Session!.Video.Feedback);
    }

    [Fact]
    public void Negotiate_TransportCcDisabledLocally_AnswersRembOnly()
    {
        var result = SdpAnswerer.Negotiate(ChromiumOffer.Text, Local() with { EnableTransportCc = false });

        Assert.True(result.IsAccepted);
        Assert.False(result.Session!.Video.Feedback.TransportCc);
        Assert.True(result.Session.Video.Feedback.Remb);
        Assert.Null(result.Session.Audio.GetExtensionId(RtpHeaderExtensionUris.TransportWideCc));
        Assert.DoesNotContain("transport-cc", result.AnswerSdp, StringComparison.Ordinal);
    }

    [Fact]
    public void Negotiate_AudioRecvOnlyAndVideoSendRecv_AnswersSendOnlyBoth()
    {
        string offer = ChromiumOffer.Text.Replace("a=sendrecv", "a=recvonly", StringComparison.Ordinal);
        int videoStart = offer.IndexOf("m=video", StringComparison.Ordinal);
        offer = offer[..videoStart] + offer[videoStart..].Replace("a=recvonly", "a=sendrecv", StringComparison.Ordinal);

        var session = Accept(offer).Session!;

        Assert.Equal(SdpMediaDirection.SendOnly, session.Audio.Direction);
        Assert.False(session.Audio.WeReceive);
        Assert.Equal(SdpMediaDirection.SendOnly, session.Video.Direction);
    }

    [Fact]
    public void Negotiate_SendRecvVideoWithRtx_ExposesRemoteSsrcsAndFidGroup()
    {
        int videoStart = ChromiumOffer.Text.IndexOf("m=video", StringComparison.Ordinal);
        string offer = ChromiumOffer.Text[..videoStart] + ChromiumOffer.Text[videoStart..]
            .Replace("a=recvonly", "a=sendrecv", StringComparison.Ordinal)
            .Replace("a=fmtp:125 apt=124\r\n", "a=fmtp:125 apt=124\r\na=ssrc-group:FID 3001 3002\r\na=ssrc:3001 cname:Jq3Ys8vN0aLk2mWp\r\na=ssrc:3002 cname:Jq3Ys8vN0aLk2mWp\r\n", StringComparison.Ordinal);

        var video = Accept(offer).Session!.Video;

        Assert.Equal(SdpMediaDirection.SendOnly, video.Direction);
        Assert.Equal([3001u, 3002u], video.RemoteSsrcs);
        var group = Assert.Single(video.RemoteSsrcGroups);
        Assert.Equal("FID", group.Semantics);
        Assert.Equal([3001u, 3002u], group.Ssrcs);
    }

    [Fact]
    public void Negotiate_CredentialsAndFingerprintAtSessionLevel_AreAccepted()
    {
        string offer = Without(Without(Without(ChromiumOffer.Text, "a=ice-ufrag"), "a=ice-pwd"), "a=fingerprint")
            .Replace("a=extmap-allow-mixed\r\n", $"a=extmap-allow-mixed\r\na=ice-ufrag:sess\r\na=ice-pwd:{ChromiumOffer.Password}\r\na=fingerprint:sha-1 {string.Join(':', Enumerable.Repeat("0F", 20))}\r\n", StringComparison.Ordinal);

        var session = Accept(offer).Session!;

        Assert.Equal("sess", session.RemoteIceUfrag);
        Assert.Equal("sha-1", session.RemoteFingerprint.Algorithm);
    }

    [Fact]
    public void Negotiate_UnknownLinesAndAttributes_AreIgnored()
    {
        string offer = ChromiumOffer.Text
            .Replace("a=mid:0\r\n", "a=mid:0\r\na=x-unknown-thing:1 2 3\r\nk=clear:secret\r\na=rtpmap:broken\r\na=extmap:99999 nope\r\na=candidate:garbage\r\na=ssrc:notanumber cname:x\r\n", StringComparison.Ordinal)
            .Replace("s=-\r\n", "s=-\r\nz=0 0\r\na=x-session-flag\r\n", StringComparison.Ordinal);

        var session = Accept(offer).Session!;

        Assert.Equal(111, session.Audio.PayloadType);
        Assert.Equal([ChromiumOffer.AudioSsrc], session.Audio.RemoteSsrcs);
    }

    [Fact]
    public void Negotiate_IPv6DefaultCandidate_WritesIp6ConnectionLine()
    {
        var result = SdpAnswerer.Negotiate(ChromiumOffer.Text, Local([IPAddress.Parse("2001:db8::5"), IPAddress.Parse("203.0.113.5")]));

        var audio = ParsedAnswerSection(result, 0);
        Assert.Equal("IN IP6 2001:db8::5", audio.Lines.First(l => l.Type == 'c').Value);
        Assert.Equal(2, audio.GetAttributeValues("candidate").Count());
    }

    [Fact]
    public void Negotiate_NoLocalCandidates_UsesDiscardPortAndZeroAddress()
    {
        var result = SdpAnswerer.Negotiate(ChromiumOffer.Text, Local() with { Candidates = [] });

        var audio = ParsedAnswerSection(result, 0);
        Assert.Equal(9, audio.Port);
        Assert.Equal("IN IP4 0.0.0.0", audio.Lines.First(l => l.Type == 'c').Value);
    }

    [Fact]
    public void Negotiate_InvalidLocalParameters_ThrowsListingProblems()
    {
        var local = Local() with { Ice = new IceCredentials("ab", "short"), VideoSsrc = 11111111 };

        var error = Assert.Throws<ArgumentException>(() => SdpAnswerer.Negotiate(ChromiumOffer.Text, local));

        Assert.Contains("ICE credentials", error.Message, StringComparison.Ordinal);
        Assert.Contains("SSRCs", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Rejections()
    {
        string text = ChromiumOffer.Text;
        int videoStart = text.IndexOf("m=video", StringComparison.Ordinal);
        return new()
        {
            { Without(text, "a=rtpmap:111 opus"), nameof(SdpRejectionReason.NoOpus), "opus/48000/2" },
            { text.Replace("m=audio 54321 UDP/TLS/RTP/SAVPF", "m=audio 54321 RTP/AVP", StringComparison.Ordinal), nameof(SdpRejectionReason.NoOpus), "RTP/AVP" },
            { text.Replace("m=audio 54321", "m=audio 0", StringComparison.Ordinal), nameof(SdpRejectionReason.NoOpus), "port 0" },
            { text.Replace("VP8/90000", "VP7/90000", StringComparison.Ordinal), nameof(SdpRejectionReason.NoVp8), "VP8/90000" },
            { text[..videoStart] + text[videoStart..].Replace("a=recvonly", "a=sendonly", StringComparison.Ordinal), nameof(SdpRejectionReason.VideoNotReceivable), "sendonly" },
            { Without(text, "a=group:BUNDLE"), nameof(SdpRejectionReason.NoBundle), "a=group:BUNDLE" },
            { text.Replace("a=group:BUNDLE 0 1 2", "a=group:BUNDLE 0 2", StringComparison.Ordinal), nameof(SdpRejectionReason.NoBundle), "video mid '1'" },
            { Without(text, "a=ice-ufrag"), nameof(SdpRejectionReason.NoIceCredentials), "a=ice-ufrag" },
            { Without(text, "a=ice-pwd"), nameof(SdpRejectionReason.NoIceCredentials), "a=ice-pwd" },
            { text.Replace("a=ice-pwd:kQ7bP2mZr9XwL3tYc8NfH1sD", "a=ice-pwd:short", StringComparison.Ordinal), nameof(SdpRejectionReason.NoIceCredentials), "not valid" },
            { Without(text, "a=fingerprint"), nameof(SdpRejectionReason.NoFingerprint), "no a=fingerprint" },
            { text.Replace("a=fingerprint:sha-256", "a=fingerprint:md5", StringComparison.Ordinal), nameof(SdpRejectionReason.NoFingerprint), "md5" },
            { Without(text, "a=rtcp-mux"), nameof(SdpRejectionReason.NoRtcpMux), "a=rtcp-mux" },
            { text[..videoStart] + Without(text[videoStart..], "a=rtcp-mux"), nameof(SdpRejectionReason.NoRtcpMux), "video m-section (mid 1)" },
            { text.Replace("a=setup:actpass", "a=setup:passive", StringComparison.Ordinal), nameof(SdpRejectionReason.DtlsRoleConflict), "a=setup:passive" },
            { "this is not sdp", nameof(SdpRejectionReason.Malformed), "line 1" },
            { string.Empty, nameof(SdpRejectionReason.Malformed), "empty" },
        };
    }

    [Theory]
    [MemberData(nameof(Rejections))]
    public void Negotiate_UnservableOffer_RejectsWithReasonNamingWhatIsMissing(string offer, string reasonName, string messageFragment)
    {
        var result = SdpAnswerer.Negotiate(offer, Local());

        Assert.False(result.IsAccepted);
        Assert.Equal(Enum.Parse<SdpRejectionReason>(reasonName), result.Reason);
        Assert.Contains(messageFragment, result.Message, StringComparison.Ordinal);
        Assert.Null(result.Answer);
        Assert.Null(result.Session);
        var thrown = Assert.Throws<SdpOfferRejectedException>(() => result.EnsureAccepted());
        Assert.Equal(result.Reason, thrown.Reason);
        Assert.Equal(result.Message, thrown.Message);
    }

    [Fact]
    public void Negotiate_NoAudioSectionAtAll_SaysSo()
    {
        Assert.True(SdpSessionDescription.TryParse(ChromiumOffer.Text, out var offer, out _));
        offer!.Media.RemoveAt(0);

        var result = SdpAnswerer.Negotiate(offer, Local());

        Assert.Equal(SdpRejectionReason.NoOpus, result.Reason);
        Assert.Contains("has no audio m-section", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negotiate_MutatedOffers_NeverThrowAndAcceptedAnswersParse()
    {
        var random = new Random(8829);
        string[] lines = ChromiumOffer.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var outcomes = new Dictionary<SdpRejectionReason, int>();
        var local = Local();
        for (int i = 0; i < 3000; i++)
        {
            var mutated = lines.ToList();
            int edits = random.Next(1, 6);
            for (int e = 0; e < edits && mutated.Count > 1; e++)
            {
                int index = random.Next(mutated.Count);
                switch (random.Next(5))
                {
                    case 0:
                        mutated.RemoveAt(index);
                        break;
                    case 1:
                        mutated.Insert(index, mutated[random.Next(mutated.Count)]);
                        break;
                    case 2:
                        mutated[index] = mutated[index][..random.Next(mutated[index].Length + 1)];
                        break;
                    case 3:
                        var chars = mutated[index].ToCharArray();
                        if (chars.Length > 0)
                        {
                            chars[random.Next(chars.Length)] = (char)random.Next(0, 128);
                        }

                        mutated[index] = new string(chars);
                        break;
                    default:
                        mutated[index] = mutated[index] + " " + random.Next();
                        break;
                }
            }

            var result = SdpAnswerer.Negotiate(string.Join("\r\n", mutated) + "\r\n", local);
            outcomes[result.Reason] = outcomes.GetValueOrDefault(result.Reason) + 1;
            if (result.IsAccepted)
            {
                Assert.True(SdpSessionDescription.TryParse(result.AnswerSdp, out var answer, out _));
                Assert.Equal(string.Empty, answer!.GetAttribute("ice-lite"));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Message));
            }
        }

        Assert.True(outcomes.GetValueOrDefault(SdpRejectionReason.None) > 1000, string.Join(", ", outcomes));
        Assert.True(outcomes.Count >= 4, string.Join(", ", outcomes));
    }
}
