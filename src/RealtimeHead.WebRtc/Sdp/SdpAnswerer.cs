using System.Globalization;
using System.Net;
using System.Net.Sockets;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary>
/// Answers a browser's offer (RFC 3264, JSEP RFC 8829 §5.3) for this server: ICE-lite, DTLS server
/// (<c>a=setup:passive</c>), one BUNDLE transport (RFC 9143) carrying send-receive Opus audio and send-only
/// VP8 video. Payload types and header extension ids are taken from the offer. Offers that cannot be served
/// give a typed rejection naming what is missing; lines this code does not know are ignored.
/// </summary>
internal static class SdpAnswerer
{
    public const string SecureRtpProfile = "UDP/TLS/RTP/SAVPF";

    /// <summary>RFC 7587 §7 recommends these; useinbandfec lets the decoder recover a lost packet from the next.</summary>
    public const string OpusFmtp = "minptime=10;useinbandfec=1";

    /// <summary>Parses and answers an offer. Throws only for invalid <paramref name="local"/> (a programming error).</summary>
    public static SdpNegotiationResult Negotiate(string? offerSdp, LocalSdpParameters local)
    {
        ValidateLocal(local);
        if (!SdpSessionDescription.TryParse(offerSdp, out var offer, out var error))
        {
            return SdpNegotiationResult.Rejected(SdpRejectionReason.Malformed, $"The offer is not valid SDP ({error}).");
        }

        return Negotiate(offer!, local);
    }

    public static SdpNegotiationResult Negotiate(SdpSessionDescription offer, LocalSdpParameters local)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ValidateLocal(local);

        var (audio, opus) = FindSection(offer, "audio", "opus", 48000);
        if (audio is null)
        {
            return SdpNegotiationResult.Rejected(SdpRejectionReason.NoOpus, MissingCodecMessage(offer, "audio", "opus/48000/2"));
        }

        var (video, vp8) = FindSection(offer, "video", "VP8", 90000);
        if (video is null)
        {
            return SdpNegotiationResult.Rejected(SdpRejectionReason.NoVp8, MissingCodecMessage(offer, "video", "VP8/90000"));
        }

        var offeredVideoDirection = SdpMediaDirections.Of(video);
        if (!offeredVideoDirection.Receives())
        {
            return SdpNegotiationResult.Rejected(
                SdpRejectionReason.VideoNotReceivable,
                $"The offer's VP8 video m-section (mid {video.Mid ?? "none"}) is {offeredVideoDirection.ToAttributeName()}; the browser must receive video (recvonly or sendrecv).");
        }

        string? audioMid = audio.Mid;
        string? videoMid = video.Mid;
        var bundle = offer.BundleGroups.FirstOrDefault(g => audioMid is not null && videoMid is not null && g.Contains(audioMid) && g.Contains(videoMid));
        if (bundle is null || string.IsNullOrEmpty(audioMid) || string.IsNullOrEmpty(videoMid) || audioMid == videoMid)
        {
            return SdpNegotiationResult.Rejected(
                SdpRejectionReason.NoBundle,
                $"The offer must give the audio and video m-sections distinct a=mid values and list both in one a=group:BUNDLE (RFC 9143); found audio mid '{audioMid ?? "none"}', video mid '{videoMid ?? "none"}', groups [{string.Join("; ", offer.BundleGroups.Select(g => string.Join(' ', g)))}].");
        }

        // RFC 9143 §7.3.1: the offerer's BUNDLE-tag section (first mid of the group) carries the transport.
        var accepted = new[] { audio, video };
        var bundleMids = bundle.Where(mid => mid == audioMid || mid == videoMid).Distinct().ToList();
        var tagSection = bundleMids[0] == audioMid ? audio : video;

        string? ufrag = tagSection.GetAttribute("ice-ufrag") ?? offer.GetAttribute("ice-ufrag");
        string? password = tagSection.GetAttribute("ice-pwd") ?? offer.GetAttribute("ice-pwd");
        if (!IceCredentials.IsValidUfrag(ufrag) || !IceCredentials.IsValidPassword(password))
        {
            return SdpNegotiationResult.Rejected(
                SdpRejectionReason.NoIceCredentials,
                ufrag is null || password is null
                    ? $"The offer has no {(ufrag is null ? "a=ice-ufrag" : "a=ice-pwd")} (session level or in mid {tagSection.Mid}); ICE needs both (RFC 8839 §5.4)."
                    : "The offer's a=ice-ufrag/a=ice-pwd are not valid: a 4-256 and a 22-256 character ice-char string are required (RFC 8839 §5.4).");
        }

        var fingerprintTexts = tagSection.GetAttributeValues("fingerprint").Concat(offer.GetAttributeValues("fingerprint")).ToList();
        var fingerprints = fingerprintTexts.Select(t => SdpFingerprint.TryParse(t, out var f) ? f : null).OfType<SdpFingerprint>().ToList();
        var remoteFingerprint = SdpFingerprint.SupportedAlgorithms
            .Select(alg => fingerprints.FirstOrDefault(f => f.Algorithm == alg && f.IsSupported))
            .FirstOrDefault(f => f is not null);
        if (remoteFingerprint is null)
        {
            return SdpNegotiationResult.Rejected(
                SdpRejectionReason.NoFingerprint,
                fingerprintTexts.Count == 0
                    ? "The offer has no a=fingerprint; DTLS-SRTP needs the browser's certificate fingerprint (RFC 8122)."
                    : $"The offer's a=fingerprint ({string.Join(", ", fingerprintTexts.Select(t => t.Split(' ')[0]))}) has no usable value; supported hash functions: {string.Join(", ", SdpFingerprint.SupportedAlgorithms)}.");
        }

        foreach (var section in accepted)
        {
            if (!section.HasAttribute("rtcp-mux"))
            {
                return SdpNegotiationResult.Rejected(
                    SdpRejectionReason.NoRtcpMux,
                    $"The offer's {section.Media} m-section (mid {section.Mid}) lacks a=rtcp-mux; RTP and RTCP must share one port (RFC 8858).");
            }
        }

        // RFC 8842 §5.1: we answer passive, so the offerer must be able to be the DTLS client.
        string setup = tagSection.GetAttribute("setup") ?? offer.GetAttribute("setup") ?? "active";
        if (!setup.Equals("actpass", StringComparison.OrdinalIgnoreCase) && !setup.Equals("active", StringComparison.OrdinalIgnoreCase))
        {
            return SdpNegotiationResult.Rejected(
                SdpRejectionReason.DtlsRoleConflict,
                $"The offer says a=setup:{setup}; this server is always the DTLS server (a=setup:passive), so the offer must say actpass or active.");
        }

        // Feedback and extensions (RFC 4585 §4.2, RFC 8285 §6): answer only what was offered, with the offer's ids.
        var videoFeedback = OfferedFeedback(video, vp8!.PayloadType);
        var videoFb = new NegotiatedFeedback(
            Nack: videoFeedback.Any(f => f.Is("nack")),
            Pli: videoFeedback.Any(f => f.Is("nack", "pli")),
            Fir: videoFeedback.Any(f => f.Is("ccm", "fir")),
            Remb: local.EnableRemb && videoFeedback.Any(f => f.Is("goog-remb")),
            TransportCc: local.EnableTransportCc && videoFeedback.Any(f => f.Is("transport-cc")));
        var audioFb = new NegotiatedFeedback(
            Nack: false,
            Pli: false,
            Fir: false,
            Remb: false,
            TransportCc: local.EnableTransportCc && OfferedFeedback(audio, opus!.PayloadType).Any(f => f.Is("transport-cc")));

        var audioExtensions = AcceptExtensions(audio, uri =>
            uri is RtpHeaderExtensionUris.SdesMid or RtpHeaderExtensionUris.AudioLevel
            || (uri == RtpHeaderExtensionUris.TransportWideCc && audioFb.TransportCc));
        var videoExtensions = AcceptExtensions(video, uri =>
            uri == RtpHeaderExtensionUris.SdesMid
            || (uri == RtpHeaderExtensionUris.AbsSendTime && videoFb.Remb)
            || (uri == RtpHeaderExtensionUris.TransportWideCc && videoFb.TransportCc));

        var audioDirection = SdpMediaDirections.Answer(SdpMediaDirections.Of(audio), weSend: true, weReceive: true);
        var videoDirection = SdpMediaDirections.Answer(offeredVideoDirection, weSend: true, weReceive: false);

        var negotiatedAudio = new NegotiatedMedia(
            audioMid, "audio", opus!.PayloadType, "opus", 48000, 2, audioDirection, local.AudioSsrc,
            RemoteSsrcs(audio), RemoteSsrcGroups(audio), audioExtensions, audioFb, audio.HasAttribute("rtcp-rsize"));
        var negotiatedVideo = new NegotiatedMedia(
            videoMid, "video", vp8.PayloadType, "VP8", 90000, 1, videoDirection, local.VideoSsrc,
            RemoteSsrcs(video), RemoteSsrcGroups(video), videoExtensions, videoFb, video.HasAttribute("rtcp-rsize"));

        var remoteCandidates = offer.Media.SelectMany(m => m.GetAttributeValues("candidate"))
            .Select(v => IceCandidate.TryParse(v, out var c) ? c : null)
            .OfType<IceCandidate>()
            .DistinctBy(c => c.ToSdpValue())
            .ToList();

        var session = new NegotiatedSession(ufrag!, password!, remoteFingerprint, bundleMids, negotiatedAudio, negotiatedVideo, remoteCandidates);
        var answer = BuildAnswer(offer, local, session, audio, video, tagSection);
        return SdpNegotiationResult.Accepted(answer, session);
    }

    private static void ValidateLocal(LocalSdpParameters local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var problems = local.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid local SDP parameters: " + string.Join(" ", problems), nameof(local));
        }
    }

    private static (SdpMediaDescription? Section, SdpRtpMap? Codec) FindSection(SdpSessionDescription offer, string kind, string codec, int clockRate)
    {
        foreach (var media in offer.Media)
        {
            bool live = media.Port != 0 || media.HasAttribute("bundle-only");
            if (media.Media != kind || !live || !media.Protocol.Equals(SecureRtpProfile, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var maps = RtpMaps(media);

            // The m= line's format order is the offerer's preference (RFC 3264 §5.1).
            foreach (string format in media.Formats)
            {
                if (SdpRtpMap.TryParsePayloadType(format, out byte pt)
                    && maps.TryGetValue(pt, out var map)
                    && map.Is(codec, clockRate))
                {
                    return (media, map);
                }
            }
        }

        return (null, null);
    }

    private static Dictionary<byte, SdpRtpMap> RtpMaps(SdpMediaDescription media)
    {
        var maps = new Dictionary<byte, SdpRtpMap>();
        foreach (string value in media.GetAttributeValues("rtpmap"))
        {
            if (SdpRtpMap.TryParse(value, out var map))
            {
                maps.TryAdd(map!.PayloadType, map);
            }
        }

        return maps;
    }

    private static string MissingCodecMessage(SdpSessionDescription offer, string kind, string codec)
    {
        var sections = offer.Media.Where(m => m.Media == kind).ToList();
        if (sections.Count == 0)
        {
            return $"The offer has no {kind} m-section; this service needs {codec} {kind} over {SecureRtpProfile}.";
        }

        string offered = string.Join(", ", sections.Select(m =>
            $"{m.Protocol} port {m.Port}: {string.Join(' ', RtpMaps(m).Values.Select(r => r.EncodingName + "/" + r.ClockRate.ToString(CultureInfo.InvariantCulture)).DefaultIfEmpty("no rtpmap"))}"));
        return $"The offer's {kind} m-section(s) do not offer {codec} over {SecureRtpProfile} (offered: {offered}).";
    }

    private static List<SdpRtcpFeedback> OfferedFeedback(SdpMediaDescription media, byte payloadType) =>
        media.GetAttributeValues("rtcp-fb")
            .Select(v => SdpRtcpFeedback.TryParse(v, out var f) ? f : null)
            .OfType<SdpRtcpFeedback>()
            .Where(f => f.AppliesTo(payloadType))
            .ToList();

    private static Dictionary<string, int> AcceptExtensions(SdpMediaDescription media, Func<string, bool> wanted)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string value in media.GetAttributeValues("extmap"))
        {
            if (SdpExtMap.TryParse(value, out var map) && map!.Id <= 14 && wanted(map.Uri))
            {
                // Ids above 14 need the two-byte header form; the RTP writer uses one-byte headers only.
                result.TryAdd(map.Uri, map.Id);
            }
        }

        return result;
    }

    private static List<uint> RemoteSsrcs(SdpMediaDescription media) =>
        media.GetAttributeValues("ssrc")
            .Select(v => SdpSsrcAttribute.TryParse(v, out var a) ? a : null)
            .OfType<SdpSsrcAttribute>()
            .Select(a => a.Ssrc)
            .Distinct()
            .ToList();

    private static List<SdpSsrcGroup> RemoteSsrcGroups(SdpMediaDescription media) =>
        media.GetAttributeValues("ssrc-group")
            .Select(v => SdpSsrcGroup.TryParse(v, out var g) ? g : null)
            .OfType<SdpSsrcGroup>()
            .ToList();

    private static SdpSessionDescription BuildAnswer(
        SdpSessionDescription offer,
        LocalSdpParameters local,
        NegotiatedSession session,
        SdpMediaDescription audio,
        SdpMediaDescription video,
        SdpMediaDescription tagSection)
    {
        var answer = new SdpSessionDescription()
            .AddLine('v', "0")
            .AddLine('o', string.Create(CultureInfo.InvariantCulture, $"- {local.SessionId} 2 IN IP4 127.0.0.1"))
            .AddLine('s', "-")
            .AddLine('t', "0 0")
            .AddAttribute("group", "BUNDLE " + string.Join(' ', session.BundleMids))
            .AddAttribute("msid-semantic", " WMS " + local.StreamId)

            // RFC 8839 §5.3: session-level flag telling the browser it must be the controlling full agent.
            .AddAttribute("ice-lite");

        // RFC 8839 §5.1: the m= port and c= address are the default candidate's; 9 / 0.0.0.0 when none.
        var defaultCandidate = local.Candidates.FirstOrDefault();
        int port = defaultCandidate?.Port ?? 9;
        string connection = defaultCandidate is null
            ? "IN IP4 0.0.0.0"
            : (IPAddress.TryParse(defaultCandidate.Address, out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IN IP6 " : "IN IP4 ") + defaultCandidate.Address;

        foreach (var offered in offer.Media)
        {
            if (ReferenceEquals(offered, audio))
            {
                answer.Media.Add(BuildSection(audio, session.Audio, local, port, connection, ReferenceEquals(tagSection, audio), local.AudioTrackId));
            }
            else if (ReferenceEquals(offered, video))
            {
                answer.Media.Add(BuildSection(video, session.Video, local, port, connection, ReferenceEquals(tagSection, video), local.VideoTrackId));
            }
            else
            {
                // RFC 3264 §6 / RFC 8829 §5.3.1: a rejected section keeps its place with port 0 (and its mid).
                var rejected = new SdpMediaDescription(offered.Media, 0, offered.Protocol, offered.Formats.Count > 0 ? offered.Formats : ["0"])
                    .AddLine('c', "IN IP4 0.0.0.0");
                if (offered.Mid is { Length: > 0 } mid)
                {
                    rejected.AddAttribute("mid", mid);
                }

                answer.Media.Add(rejected);
            }
        }

        return answer;
    }

    private static SdpMediaDescription BuildSection(
        SdpMediaDescription offered,
        NegotiatedMedia negotiated,
        LocalSdpParameters local,
        int port,
        string connection,
        bool isBundleTag,
        string trackId)
    {
        string pt = negotiated.PayloadType.ToString(CultureInfo.InvariantCulture);
        var section = new SdpMediaDescription(offered.Media, port, SecureRtpProfile, [pt]).AddLine('c', connection);

        // RFC 8829 §5.3.1: candidates go in the BUNDLE-tag section only; ICE-lite knows them all up front.
        if (isBundleTag)
        {
            foreach (var candidate in local.Candidates)
            {
                section.AddLine('a', candidate.ToSdpValue());
            }

            section.AddAttribute("end-of-candidates");
        }

        section.AddAttribute("ice-ufrag", local.Ice.Ufrag)
            .AddAttribute("ice-pwd", local.Ice.Password)
            .AddAttribute("fingerprint", local.Fingerprint.ToSdpValue())
            .AddAttribute("setup", "passive")
            .AddAttribute("mid", negotiated.Mid);

        foreach (var (uri, id) in negotiated.HeaderExtensions.OrderBy(e => e.Value))
        {
            section.AddAttribute("extmap", new SdpExtMap(id, uri).ToSdpValue());
        }

        section.AddAttribute(negotiated.Direction.ToAttributeName());
        if (negotiated.WeSend)
        {
            section.AddAttribute("msid", $"{local.StreamId} {trackId}");
        }

        section.AddAttribute("rtcp-mux");
        if (negotiated.ReducedSizeRtcp)
        {
            section.AddAttribute("rtcp-rsize");
        }

        var rtpMap = new SdpRtpMap(negotiated.PayloadType, negotiated.Codec, negotiated.ClockRate, negotiated.Channels);
        section.AddAttribute("rtpmap", rtpMap.ToSdpValue());
        var fb = negotiated.Feedback;
        if (fb.Remb)
        {
            section.AddAttribute("rtcp-fb", $"{pt} goog-remb");
        }

        if (fb.TransportCc)
        {
            section.AddAttribute("rtcp-fb", $"{pt} transport-cc");
        }

        if (fb.Fir)
        {
            section.AddAttribute("rtcp-fb", $"{pt} ccm fir");
        }

        if (fb.Nack)
        {
            section.AddAttribute("rtcp-fb", $"{pt} nack");
        }

        if (fb.Pli)
        {
            section.AddAttribute("rtcp-fb", $"{pt} nack pli");
        }

        if (negotiated.Kind == "audio")
        {
            section.AddAttribute("fmtp", $"{pt} {OpusFmtp}");
        }

        if (negotiated.WeSend)
        {
            // RFC 5576 §4.1 source attributes; Chromium uses them to map our SSRC to the msid track.
            section.AddAttribute("ssrc", new SdpSsrcAttribute(negotiated.LocalSsrc, "cname", local.Cname).ToSdpValue());
            section.AddAttribute("ssrc", new SdpSsrcAttribute(negotiated.LocalSsrc, "msid", $"{local.StreamId} {trackId}").ToSdpValue());
        }

        return section;
    }
}
