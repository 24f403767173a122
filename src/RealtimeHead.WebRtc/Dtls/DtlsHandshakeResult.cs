using RealtimeHead.WebRtc.Srtp;

namespace RealtimeHead.WebRtc.Dtls;

/// <summary>What a completed DTLS-SRTP handshake hands to the media path.</summary>
/// <param name="Keys">SRTP master keys: local protects outbound, remote unprotects inbound (RFC 5764 §4.2).</param>
/// <param name="RemoteFingerprint">The verified client certificate fingerprint, in the algorithm the SDP used.</param>
/// <param name="SrtpProtectionProfile">Negotiated DTLS-SRTP profile id (always <see cref="SrtpProfile.DtlsProfileId"/>).</param>
internal sealed record DtlsHandshakeResult(SrtpKeyingMaterial Keys, DtlsFingerprint RemoteFingerprint, int SrtpProtectionProfile);
