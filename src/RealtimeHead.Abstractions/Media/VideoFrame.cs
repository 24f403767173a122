namespace RealtimeHead.Media;

/// <summary>
/// A planar I420 (YUV 4:2:0) picture with its presentation position on the session's media clock.
/// Planes are tightly packed: Y is <c>Width*Height</c>, U and V are <c>((Width+1)/2)*((Height+1)/2)</c> each.
/// </summary>
public sealed class VideoFrame
{
    public VideoFrame(int width, int height, long mediaTimestamp)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(width, 0);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(height, 0);
        Width = width;
        Height = height;
        MediaTimestamp = mediaTimestamp;
        Y = new byte[width * height];
        U = new byte[ChromaWidth * ChromaHeight];
        V = new byte[ChromaWidth * ChromaHeight];
    }

    public int Width { get; }
    public int Height { get; }
    public int ChromaWidth => (Width + 1) / 2;
    public int ChromaHeight => (Height + 1) / 2;

    /// <summary>Presentation position on the media clock (<see cref="MediaClock"/> samples).</summary>
    public long MediaTimestamp { get; set; }

    /// <summary>When set, the encoder must emit a keyframe for this frame.</summary>
    public bool ForceKeyframe { get; set; }

    public byte[] Y { get; }
    public byte[] U { get; }
    public byte[] V { get; }
}
