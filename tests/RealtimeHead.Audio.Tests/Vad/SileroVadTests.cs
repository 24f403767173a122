using RealtimeHead.Audio.Vad;
using RealtimeHead.OnnxRuntime.Tests.Onnx;
using Xunit.Abstractions;

namespace RealtimeHead.Audio.Tests.Vad;

public sealed class SileroVadTests(ITestOutputHelper output)
{
    private static SileroVadModel LoadModel() =>
        new(new SileroVadOptions { ModelPath = TestAudio.NativeArtifact("silero_vad.onnx") });

    private static float[] Probabilities(SileroVad vad, float[] signal)
    {
        var windows = signal.Length / vad.WindowSamples;
        var result = new float[windows];
        for (var w = 0; w < windows; w++) result[w] = vad.Process(signal.AsSpan(w * vad.WindowSamples, vad.WindowSamples));
        return result;
    }

    [Fact]
    public void Process_EspeakSpeechWithSilences_HighInSpeechLowInSilence()
    {
        // Silence 1 s, sentence, silence 1.5 s, sentence, silence 1 s; faint noise (−60 dBFS) so silence is not digital zero.
        const int Rate = 16_000;
        var first = TestAudio.Speech16k("The quick brown fox jumps over the lazy dog near the river bank.");
        var second = TestAudio.Speech16k("Please tell me how the weather will be tomorrow morning.");
        var signal = new float[Rate + first.Length + Rate * 3 / 2 + second.Length + Rate];
        first.CopyTo(signal, Rate);
        second.CopyTo(signal, Rate + first.Length + Rate * 3 / 2);
        var noise = TestAudio.Noise(signal.Length, 0.001, 8);
        for (var i = 0; i < signal.Length; i++) signal[i] += noise[i];

        using var model = LoadModel();
        using var vad = new SileroVad(model);
        var probabilities = Probabilities(vad, signal);

        // A window is "speech" where the sentence is loud (not its pauses between words), "silence" inside the inserted
        // gaps except the 300 ms after speech that the network's hangover may still call speech.
        var speechRanges = new[] { (Rate, Rate + first.Length), (Rate * 5 / 2 + first.Length, Rate * 5 / 2 + first.Length + second.Length) };
        var peak = Math.Max(first.Max(Math.Abs), second.Max(Math.Abs));
        int speech = 0, speechHigh = 0, silence = 0, silenceLow = 0;
        for (var w = 0; w < probabilities.Length; w++)
        {
            int start = w * 512, end = start + 512;
            var inSpeech = speechRanges.Any(r => start >= r.Item1 && end <= r.Item2);
            var nearSpeech = speechRanges.Any(r => end > r.Item1 && start < r.Item2 + Rate * 3 / 10);
            if (inSpeech && TestAudio.Rms(signal.AsSpan(start, 512)) > peak * 0.05)
            {
                speech++;
                if (probabilities[w] > 0.5f) speechHigh++;
            }
            else if (!nearSpeech)
            {
                silence++;
                if (probabilities[w] < 0.3f) silenceLow++;
            }
        }
        var speechFraction = (double)speechHigh / speech;
        var silenceFraction = (double)silenceLow / silence;
        output.WriteLine($"speech windows with p > 0.5: {speechHigh}/{speech} = {speechFraction:P1}; " +
            $"silent windows with p < 0.3: {silenceLow}/{silence} = {silenceFraction:P1}");
        Assert.True(speech > 50 && silence > 50, $"{speech} speech and {silence} silent windows");
        Assert.True(speechFraction >= 0.8, $"only {speechFraction:P1} of speech windows have p > 0.5");
        Assert.True(silenceFraction >= 0.95, $"only {silenceFraction:P1} of silent windows have p < 0.3");
    }

    [Fact]
    public void Reset_ThenSameAudio_SameProbabilities()
    {
        using var model = LoadModel();
        using var vad = new SileroVad(model);
        var signal = TestAudio.Sine(220, 16_000, 512 * 8, 0.3);
        var first = Probabilities(vad, signal);
        vad.Reset();
        Assert.Equal(first, Probabilities(vad, signal));
    }

    [Fact]
    public void Process_TwoDetectorsOnOneModel_KeepSeparateState()
    {
        using var model = LoadModel();
        using var a = new SileroVad(model);
        using var b = new SileroVad(model);
        var signal = TestAudio.Noise(512 * 6, 0.2, 2);
        var expected = Probabilities(a, signal);
        a.Reset();
        var interleavedA = new float[6];
        var interleavedB = new float[6];
        for (var w = 0; w < 6; w++)
        {
            interleavedA[w] = a.Process(signal.AsSpan(w * 512, 512));
            interleavedB[w] = b.Process(signal.AsSpan(w * 512, 512));
        }
        Assert.Equal(expected, interleavedA);
        Assert.Equal(expected, interleavedB);
        Assert.All(expected, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Process_WrongWindowLength_Throws()
    {
        using var model = LoadModel();
        using var vad = new SileroVad(model);
        Assert.Equal(512, vad.WindowSamples);
        var error = Assert.Throws<ArgumentException>(() => vad.Process(new float[480]));
        Assert.Contains("512", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_NotSilero_ExplainsWhatTheFileHas()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rh-not-silero-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, new OnnxModelBuilder()
            .Input("x", OnnxModelBuilder.Float, 1, 4)
            .Node("Relu", ["x"], ["y"])
            .Output("y", OnnxModelBuilder.Float, 1, 4)
            .Build());
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => new SileroVadModel(new SileroVadOptions { ModelPath = path }));
            Assert.Contains("no input 'state'", error.Message, StringComparison.Ordinal);
            Assert.Contains("x: Float[1, 4]", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new SileroVadModel(new SileroVadOptions { SampleRate = 44_100, IntraOpNumThreads = -1 }));
        Assert.Contains("ModelPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("SampleRate", error.Message, StringComparison.Ordinal);
        Assert.Contains("IntraOpNumThreads", error.Message, StringComparison.Ordinal);
    }
}
