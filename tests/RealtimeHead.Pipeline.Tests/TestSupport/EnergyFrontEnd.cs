using RealtimeHead.Audio;

namespace RealtimeHead.Pipeline.Tests.TestSupport;

/// <summary>
/// A front-end whose features are easy to predict: every 320 samples (20 ms at 16 kHz) it emits [10 × RMS, peak] of
/// that block, stamped at the block's centre on the 48 kHz clock. No lookahead.
/// </summary>
internal sealed class EnergyFrontEnd : IAudioFrontEnd
{
    public const int Hop = 320;
    private readonly List<float> _buffer = [];
    private long _bufferStart;

    public string Name => "energy";

    public int FeatureDim => 2;

    public int FramesPerSecond => 50;

    public int LookaheadSamples => 0;

    public int ResetCount { get; private set; }

    public IReadOnlyList<FeatureFrame> Process(ReadOnlySpan<float> samples, long mediaTimestamp)
    {
        if (_buffer.Count == 0)
        {
            _bufferStart = mediaTimestamp;
        }

        foreach (var s in samples)
        {
            _buffer.Add(s);
        }

        var frames = new List<FeatureFrame>();
        while (_buffer.Count >= Hop)
        {
            double sum = 0, peak = 0;
            for (var i = 0; i < Hop; i++)
            {
                sum += _buffer[i] * _buffer[i];
                peak = Math.Max(peak, Math.Abs(_buffer[i]));
            }

            frames.Add(new FeatureFrame([(float)(10 * Math.Sqrt(sum / Hop)), (float)peak], _bufferStart + (Hop * 3 / 2)));
            _buffer.RemoveRange(0, Hop);
            _bufferStart += Hop * 3;
        }

        return frames;
    }

    public void Reset()
    {
        _buffer.Clear();
        ResetCount++;
    }

    public void Dispose()
    {
    }
}
