using RealtimeHead.Media;

namespace RealtimeHead.Codecs.Vp8;

/// <summary>Result of decoding one VP8 frame.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Frame">The decoded I420 picture when <see cref="Vp8DecodeStatus.Decoded"/>, else null.</param>
public readonly record struct Vp8DecodeResult(Vp8DecodeStatus Status, VideoFrame? Frame);
