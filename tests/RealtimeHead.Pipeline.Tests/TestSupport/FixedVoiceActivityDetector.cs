using RealtimeHead.Audio;

namespace RealtimeHead.Pipeline.Tests.TestSupport;

/// <summary>A detector that answers what the test says, counting windows.</summary>
internal sealed class FixedVoiceActivityDetector(Func<float[], float> probability) : IVoiceActivityDetector
{
    public int WindowSamples => 512;

    public int Windows { get; private set; }

    public float Process(ReadOnlySpan<float> window)
    {
        Windows++;
        return probability(window.ToArray());
    }

    public void Reset()
    {
    }

    public void Dispose()
    {
    }
}
