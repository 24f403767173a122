namespace RealtimeHead.Testing.Sdp;

/// <summary>
/// A Chromium 156 style offer, as <c>pc.addTransceiver(micTrack)</c> + <c>addTransceiver('video', {direction: 'recvonly'})</c>
/// + <c>createDataChannel</c> + <c>setLocalDescription()</c> after gathering produce: BUNDLE of three mids, host
/// (IP and mDNS) and srflx candidates, Opus 111 with RED, VP8 96 with RTX 97 among many video codecs, two-byte
/// extension ids, and a data channel section this server rejects. Written by hand to match Chromium's layout.
/// </summary>
public static class ChromiumOffer
{
    public const string Ufrag = "Vx4q";
    public const string Password = "kQ7bP2mZr9XwL3tYc8NfH1sD";
    public const string FingerprintHex = "3A:91:7C:0E:5B:D2:44:18:A6:2F:C9:71:08:E3:BD:56:90:1F:6A:CE:27:B4:83:5D:F0:12:9E:4B:C7:38:65:A1";
    public const uint AudioSsrc = 2417795937;

    public static string Text => Raw.ReplaceLineEndings("\r\n") + "\r\n";

    private const string Raw = """
        v=0
        o=- 4215775240449105457 2 IN IP4 127.0.0.1
        s=-
        t=0 0
        a=group:BUNDLE 0 1 2
        a=extmap-allow-mixed
        a=msid-semantic: WMS 6f1c4f9e-2b7d-4c1a-9d3e-5a8b7c6d5e4f
        m=audio 54321 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
        c=IN IP4 192.168.1.23
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:1467250027 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1 network-cost 10
        a=candidate:2999745851 1 udp 2122194687 3b4f1a2c-8d2e-4f63-9a1b-7c5d6e7f8a9b.local 54400 typ host generation 0 network-id 2
        a=candidate:842163049 1 udp 1686052607 198.51.100.7 61000 typ srflx raddr 192.168.1.23 rport 54321 generation 0 network-id 1 network-cost 10
        a=ice-ufrag:Vx4q
        a=ice-pwd:kQ7bP2mZr9XwL3tYc8NfH1sD
        a=ice-options:trickle
        a=fingerprint:sha-256 3A:91:7C:0E:5B:D2:44:18:A6:2F:C9:71:08:E3:BD:56:90:1F:6A:CE:27:B4:83:5D:F0:12:9E:4B:C7:38:65:A1
        a=setup:actpass
        a=mid:0
        a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=sendrecv
        a=msid:6f1c4f9e-2b7d-4c1a-9d3e-5a8b7c6d5e4f 0c2d9a7e-1f3b-4e5d-8c6a-7b9e0f1a2b3c
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:111 opus/48000/2
        a=rtcp-fb:111 transport-cc
        a=fmtp:111 minptime=10;useinbandfec=1
        a=rtpmap:63 red/48000/2
        a=fmtp:63 111/111
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:13 CN/8000
        a=rtpmap:110 telephone-event/48000
        a=rtpmap:126 telephone-event/8000
        a=ssrc:2417795937 cname:Jq3Ys8vN0aLk2mWp
        a=ssrc:2417795937 msid:6f1c4f9e-2b7d-4c1a-9d3e-5a8b7c6d5e4f 0c2d9a7e-1f3b-4e5d-8c6a-7b9e0f1a2b3c
        m=video 54321 UDP/TLS/RTP/SAVPF 96 97 103 104 107 108 109 114 115 116 117 118 39 40 45 46 98 99 100 101 119 120 123 124 125
        c=IN IP4 192.168.1.23
        a=rtcp:9 IN IP4 0.0.0.0
        a=candidate:1467250027 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1 network-cost 10
        a=ice-ufrag:Vx4q
        a=ice-pwd:kQ7bP2mZr9XwL3tYc8NfH1sD
        a=ice-options:trickle
        a=fingerprint:sha-256 3A:91:7C:0E:5B:D2:44:18:A6:2F:C9:71:08:E3:BD:56:90:1F:6A:CE:27:B4:83:5D:F0:12:9E:4B:C7:38:65:A1
        a=setup:actpass
        a=mid:1
        a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
        a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
        a=extmap:13 urn:3gpp:video-orientation
        a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
        a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
        a=extmap:6 http://www.webrtc.org/experiments/rtp-hdrext/video-content-type
        a=extmap:7 http://www.webrtc.org/experiments/rtp-hdrext/video-timing
        a=extmap:8 http://www.webrtc.org/experiments/rtp-hdrext/color-space
        a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
        a=extmap:10 urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id
        a=extmap:11 urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id
        a=extmap:16 http://www.webrtc.org/experiments/rtp-hdrext/video-layers-allocation00
        a=recvonly
        a=rtcp-mux
        a=rtcp-rsize
        a=rtpmap:96 VP8/90000
        a=rtcp-fb:96 goog-remb
        a=rtcp-fb:96 transport-cc
        a=rtcp-fb:96 ccm fir
        a=rtcp-fb:96 nack
        a=rtcp-fb:96 nack pli
        a=rtpmap:97 rtx/90000
        a=fmtp:97 apt=96
        a=rtpmap:103 H264/90000
        a=rtcp-fb:103 goog-remb
        a=rtcp-fb:103 transport-cc
        a=rtcp-fb:103 ccm fir
        a=rtcp-fb:103 nack
        a=rtcp-fb:103 nack pli
        a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
        a=rtpmap:104 rtx/90000
        a=fmtp:104 apt=103
        a=rtpmap:107 H264/90000
        a=fmtp:107 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42001f
        a=rtpmap:108 rtx/90000
        a=fmtp:108 apt=107
        a=rtpmap:109 H264/90000
        a=fmtp:109 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f
        a=rtpmap:114 rtx/90000
        a=fmtp:114 apt=109
        a=rtpmap:115 H264/90000
        a=fmtp:115 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f
        a=rtpmap:116 rtx/90000
        a=fmtp:116 apt=115
        a=rtpmap:117 H264/90000
        a=fmtp:117 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f
        a=rtpmap:118 rtx/90000
        a=fmtp:118 apt=117
        a=rtpmap:39 AV1/90000
        a=rtcp-fb:39 goog-remb
        a=rtcp-fb:39 transport-cc
        a=rtcp-fb:39 ccm fir
        a=rtcp-fb:39 nack
        a=rtcp-fb:39 nack pli
        a=fmtp:39 level-idx=5;profile=0;tier=0
        a=rtpmap:40 rtx/90000
        a=fmtp:40 apt=39
        a=rtpmap:45 H265/90000
        a=fmtp:45 level-id=93;profile-id=1;tier-flag=0;tx-mode=SRST
        a=rtpmap:46 rtx/90000
        a=fmtp:46 apt=45
        a=rtpmap:98 VP9/90000
        a=rtcp-fb:98 goog-remb
        a=rtcp-fb:98 transport-cc
        a=rtcp-fb:98 ccm fir
        a=rtcp-fb:98 nack
        a=rtcp-fb:98 nack pli
        a=fmtp:98 profile-id=0
        a=rtpmap:99 rtx/90000
        a=fmtp:99 apt=98
        a=rtpmap:100 VP9/90000
        a=fmtp:100 profile-id=2
        a=rtpmap:101 rtx/90000
        a=fmtp:101 apt=100
        a=rtpmap:119 red/90000
        a=rtpmap:120 rtx/90000
        a=fmtp:120 apt=119
        a=rtpmap:123 ulpfec/90000
        a=rtpmap:124 flexfec-03/90000
        a=rtcp-fb:124 goog-remb
        a=rtcp-fb:124 transport-cc
        a=fmtp:124 repair-window=10000000
        a=rtpmap:125 rtx/90000
        a=fmtp:125 apt=124
        m=application 54321 UDP/DTLS/SCTP webrtc-datachannel
        c=IN IP4 192.168.1.23
        a=candidate:1467250027 1 udp 2122260223 192.168.1.23 54321 typ host generation 0 network-id 1 network-cost 10
        a=ice-ufrag:Vx4q
        a=ice-pwd:kQ7bP2mZr9XwL3tYc8NfH1sD
        a=ice-options:trickle
        a=fingerprint:sha-256 3A:91:7C:0E:5B:D2:44:18:A6:2F:C9:71:08:E3:BD:56:90:1F:6A:CE:27:B4:83:5D:F0:12:9E:4B:C7:38:65:A1
        a=setup:actpass
        a=mid:2
        a=sctp-port:5000
        a=max-message-size:262144
        """;
}
