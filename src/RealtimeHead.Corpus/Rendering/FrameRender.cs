using RealtimeHead.Imaging;

namespace RealtimeHead.Corpus.Rendering;

/// <summary>
/// One rendered frame: the colour image and its masks, packed as an RGB image whose red channel is the inner
/// face, green the lower (audio-driven) face and blue the whole person (head, hair, neck, torso); 255 inside, 0 outside.
/// </summary>
internal sealed record FrameRender(RgbImage Image, RgbImage Masks);
