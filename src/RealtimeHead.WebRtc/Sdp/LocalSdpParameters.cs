using System.Security.Cryptography;
using RealtimeHead.WebRtc.Ice;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary>
/// What our side puts in the answer: ICE credentials and host candidates, the DTLS certificate's fingerprint,
/// and the identity (SSRC, msid, CNAME) of the two outbound tracks. Identity values default to fresh random
/// ones per instance.
/// </summary>
internal sealed record LocalSdpParameters(IceCredentials Ice, SdpFingerprint Fingerprint, IReadOnlyList<IceCandidate> Candidates)
{
    public uint AudioSsrc { get; init; } = RandomSsrc();

    public uint VideoSsrc { get; init; } = RandomSsrc();

    /// <summary>RTCP CNAME shared by both tracks so the browser synchronises them (RFC 7022).</summary>
    public string Cname { get; init; } = RandomToken(16);

    /// <summary>MediaStream id of the msid of both tracks (RFC 8830 §2), so the browser puts them in one stream.</summary>
    public string StreamId { get; init; } = RandomToken(12);

    public string AudioTrackId { get; init; } = RandomToken(12);

    public string VideoTrackId { get; init; } = RandomToken(12);

    /// <summary>o= session id (RFC 8866 §5.2); random 62-bit per JSEP (RFC 8829 §5.2.1).</summary>
    public ulong SessionId { get; init; } = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) >> 2;

    /// <summary>Answer transport-cc when offered (needs the transport-wide sequence extension on outbound RTP).</summary>
    public bool EnableTransportCc { get; init; } = true;

    /// <summary>Answer goog-remb (and abs-send-time) when offered.</summary>
    public bool EnableRemb { get; init; } = true;

    /// <summary>Every problem with these parameters; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Ice is null || !IceCredentials.IsValidUfrag(Ice.Ufrag) || !IceCredentials.IsValidPassword(Ice.Password))
        {
            errors.Add("ICE credentials must be a 4-256 ice-char ufrag and a 22-256 ice-char password (RFC 8839 §5.4).");
        }

        if (Fingerprint is null || !Fingerprint.IsSupported)
        {
            errors.Add("the DTLS fingerprint must use sha-256 (or sha-1/384/512) with a digest of the matching length.");
        }

        if (Candidates is null || Candidates.Any(c => c is null))
        {
            errors.Add("the candidate list must not be null or contain null.");
        }

        if (AudioSsrc == 0 || VideoSsrc == 0 || AudioSsrc == VideoSsrc)
        {
            errors.Add("audio and video SSRCs must be non-zero and distinct.");
        }

        foreach (var (name, value) in new[] { ("Cname", Cname), ("StreamId", StreamId), ("AudioTrackId", AudioTrackId), ("VideoTrackId", VideoTrackId) })
        {
            if (string.IsNullOrEmpty(value) || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                errors.Add($"{name} must be a non-empty token without whitespace.");
            }
        }

        return errors;
    }

    private static uint RandomSsrc()
    {
        uint value;
        do
        {
            value = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
        }
        while (value == 0);
        return value;
    }

    private static string RandomToken(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
}
