using RealtimeHead.Pipeline.Idle;
using RealtimeHead.Pipeline.Tests.TestSupport;

namespace RealtimeHead.Pipeline.Tests.Idle;

public sealed class SpeechGateTests
{
    [Fact]
    public void IsSpeechAt_DetectorWindows_WithPrerollAndHangover()
    {
        // Speech in the fourth 512-sample window only: 16 kHz samples 1536..2047 = media 4608..6143.
        var detector = new FixedVoiceActivityDetector(w => w[0] > 0.5f ? 0.9f : 0.1f);
        var gate = new SpeechGate(detector, 0.5f, -45, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20));
        var samples = new float[512 * 8];
        Array.Fill(samples, 1f, 1536, 512);

        gate.Process(samples, 0);

        Assert.Equal(8, detector.Windows);
        Assert.False(gate.IsSpeechAt(4608 - 961)); // before the 20 ms preroll
        Assert.True(gate.IsSpeechAt(4608 - 960));
        Assert.True(gate.IsSpeechAt(6143));
        Assert.True(gate.IsSpeechAt(6144 + 4799)); // inside the 100 ms hangover
        Assert.False(gate.IsSpeechAt(6144 + 4800));
    }

    [Fact]
    public void IsSpeechAt_NoDetector_UsesEnergyThreshold()
    {
        var gate = new SpeechGate(null, 0.5f, -40, TimeSpan.Zero, TimeSpan.Zero);
        var quiet = Enumerable.Repeat(0.005f, 320).ToArray(); // −46 dBFS
        var loud = Enumerable.Repeat(0.02f, 320).ToArray();   // −34 dBFS

        gate.Process(quiet, 0);
        gate.Process(loud, 960);

        Assert.False(gate.IsSpeechAt(480));
        Assert.True(gate.IsSpeechAt(1440));
    }

    [Fact]
    public void Reset_ForgetsSpeech()
    {
        var gate = new SpeechGate(null, 0.5f, -40, TimeSpan.FromSeconds(1), TimeSpan.Zero);
        gate.Process(Enumerable.Repeat(0.5f, 320).ToArray(), 0);
        gate.Reset();

        Assert.False(gate.IsSpeechAt(100));
    }
}
