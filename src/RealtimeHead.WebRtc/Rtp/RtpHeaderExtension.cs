namespace RealtimeHead.WebRtc.Rtp;

/// <summary>
/// One RFC 8285 header extension element: a local identifier negotiated in SDP (<c>a=extmap</c>) and its data.
/// </summary>
/// <param name="Id">1-14 for the one-byte form, 1-255 for the two-byte form (RFC 8285 §4.2, §4.3).</param>
/// <param name="Data">Element data; a slice of the parsed datagram when it came from <see cref="RtpPacket.TryParse"/>.</param>
internal readonly record struct RtpHeaderExtension(byte Id, ReadOnlyMemory<byte> Data);
