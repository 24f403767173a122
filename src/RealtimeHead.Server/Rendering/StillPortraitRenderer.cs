using RealtimeHead.Rendering;

namespace RealtimeHead.Server.Rendering;

/// <summary>
/// A model-free <see cref="ITalkingHeadRenderer"/>: each frame is the portrait itself, shifted by the head pose's yaw
/// and pitch, with a dark mouth ellipse whose height follows the loudness of the window's centre feature frame. It
/// exercises the whole call path (signalling, WebRTC, pipeline, pacing) on any machine, and is what the server uses
/// when <c>Model:Renderer = still</c>. Features are log-mel (80 bins, 16 frames per window), as the front-end makes.
/// </summary>
internal sealed class StillPortraitRenderer : ITalkingHeadRenderer
{
    // Natural-log mel energies: about -23 in digital silence, -2..0 for loud speech (LogMelOptions.LogFloor = 1e-10).
    private const float QuietLogEnergy = -12f;
    private const float LoudLogEnergy = -3f;

    public StillPortraitRenderer(int frameSize, int audioWindowFrames = 16, int audioFeatureDim = 80)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frameSize, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(audioWindowFrames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(audioFeatureDim, 1);
        FrameSize = frameSize;
        AudioWindowFrames = audioWindowFrames;
        AudioFeatureDim = audioFeatureDim;
    }

    public int FrameSize { get; }

    public int AudioWindowFrames { get; }

    public int AudioFeatureDim { get; }

    public IPortraitEncoding EncodePortrait(string portraitId, byte[] rgb, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(portraitId);
        ArgumentNullException.ThrowIfNull(rgb);
        if (width != FrameSize || height != FrameSize || rgb.Length != width * height * 3)
        {
            throw new ArgumentException($"portrait '{portraitId}' is {width}x{height} ({rgb.Length} bytes); expected {FrameSize}x{FrameSize} RGB24.", nameof(rgb));
        }

        return new StillPortrait(portraitId, (byte[])rgb.Clone());
    }

    public IReadOnlyList<RenderedFrame> Render(IReadOnlyList<RenderRequest> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var frames = new RenderedFrame[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            frames[i] = RenderOne(batch[i]);
        }

        return frames;
    }

    public void Dispose()
    {
    }

    /// <summary>Mouth opening in [0, 1] from the mean log energy of the window's centre frame.</summary>
    internal float MouthOpening(float[] window)
    {
        var centre = Math.Min(AudioWindowFrames / 2, Math.Max(0, (window.Length / AudioFeatureDim) - 1));
        var start = centre * AudioFeatureDim;
        if (window.Length < start + AudioFeatureDim)
        {
            return 0;
        }

        var sum = 0f;
        for (var i = 0; i < AudioFeatureDim; i++)
        {
            sum += window[start + i];
        }

        var mean = sum / AudioFeatureDim;
        return float.IsFinite(mean) ? Math.Clamp((mean - QuietLogEnergy) / (LoudLogEnergy - QuietLogEnergy), 0, 1) : 0;
    }

    private RenderedFrame RenderOne(RenderRequest request)
    {
        var portrait = (StillPortrait)request.Portrait;
        var size = FrameSize;
        var output = new byte[size * size * 3];
        var dx = (int)MathF.Round(request.Pose.Yaw * size * 0.5f);
        var dy = (int)MathF.Round(request.Pose.Pitch * size * 0.5f);
        for (var y = 0; y < size; y++)
        {
            var sy = Math.Clamp(y - dy, 0, size - 1);
            for (var x = 0; x < size; x++)
            {
                var sx = Math.Clamp(x - dx, 0, size - 1);
                Buffer.BlockCopy(portrait.Rgb, ((sy * size) + sx) * 3, output, ((y * size) + x) * 3, 3);
            }
        }

        var opening = MouthOpening(request.AudioWindow);
        if (opening > 0.05f)
        {
            ShadeMouth(output, size, (size * 0.5f) + dx, (size * 0.74f) + dy, size * 0.09f, size * 0.045f * opening);
        }

        return new RenderedFrame(output, size, size);
    }

    private static void ShadeMouth(byte[] rgb, int size, float cx, float cy, float rx, float ry)
    {
        for (var y = (int)(cy - ry); y <= (int)(cy + ry) + 1; y++)
        {
            for (var x = (int)(cx - rx); x <= (int)(cx + rx) + 1; x++)
            {
                if ((uint)x >= (uint)size || (uint)y >= (uint)size)
                {
                    continue;
                }

                var u = (x - cx) / rx;
                var v = (y - cy) / ry;
                if ((u * u) + (v * v) <= 1)
                {
                    var offset = ((y * size) + x) * 3;
                    rgb[offset] = (byte)(40 + (rgb[offset] / 8));
                    rgb[offset + 1] = (byte)(rgb[offset + 1] / 8);
                    rgb[offset + 2] = (byte)(rgb[offset + 2] / 8);
                }
            }
        }
    }

    private sealed class StillPortrait(string portraitId, byte[] rgb) : IPortraitEncoding
    {
        public string PortraitId { get; } = portraitId;

        public byte[] Rgb { get; } = rgb;

        public void Dispose()
        {
        }
    }
}
