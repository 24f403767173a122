namespace RealtimeHead.Codecs.Vp8;

/// <summary>One compressed VP8 frame, ready for the RTP payloader (RFC 7741).</summary>
/// <param name="Data">The VP8 frame (RFC 6386 §9), starting with the frame tag.</param>
/// <param name="IsKeyframe">True for a keyframe (intra frame), which a receiver can start decoding from.</param>
/// <param name="MediaTimestamp">The source <c>VideoFrame.MediaTimestamp</c> (media clock samples).</param>
public sealed record EncodedVideoFrame(byte[] Data, bool IsKeyframe, long MediaTimestamp);
