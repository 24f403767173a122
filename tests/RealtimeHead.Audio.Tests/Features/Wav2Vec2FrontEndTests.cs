using RealtimeHead.Audio.Features;

namespace RealtimeHead.Audio.Tests.Features;

public sealed class Wav2Vec2FrontEndTests : IDisposable
{
    private const int Dim = 32;
    private const long Anchor = 96_000;
    private readonly string _modelPath = TinyWav2Vec2.WriteTemp(Dim);

    public void Dispose() => File.Delete(_modelPath);

    private Wav2Vec2Model Load(Func<Wav2Vec2Options, Wav2Vec2Options>? configure = null)
    {
        var options = new Wav2Vec2Options { ModelPath = _modelPath };
        return new Wav2Vec2Model(configure is null ? options : configure(options));
    }

    private static List<FeatureFrame> Stream(Wav2Vec2FrontEnd frontEnd, float[] signal, int chunk)
    {
        var frames = new List<FeatureFrame>();
        for (var position = 0; position < signal.Length; position += chunk)
        {
            var n = Math.Min(chunk, signal.Length - position);
            frames.AddRange(frontEnd.Process(signal.AsSpan(position, n), Anchor + position * 3L));
        }
        return frames;
    }

    [Fact]
    public void Model_TinyExport_ReadsInterface()
    {
        using var model = Load();
        Assert.Equal(Dim, model.FeatureDim);
        Assert.Equal("last_hidden_state", model.OutputName);
        Assert.False(model.UsesCuda);
        Assert.Equal(49, Wav2Vec2Model.FrameCount(16_000));
        var features = model.Encode(new float[16_000], out var frames);
        Assert.Equal(49, frames);
        Assert.Equal(49 * Dim, features.Length);
    }

    [Fact]
    public void Process_TwoSecondsIn20msChunks_50FramesPerSecondStampedAtCentres()
    {
        using var model = Load();
        using var frontEnd = new Wav2Vec2FrontEnd(model);
        Assert.Equal(50, frontEnd.FramesPerSecond);
        Assert.Equal(1280, frontEnd.LookaheadSamples);
        var frames = Stream(frontEnd, TestAudio.Noise(32_000, 0.3, 1), 320);
        // Frame g needs 320g + 200 + 1280 samples: g ≤ 95 after 2 s.
        Assert.Equal(96, frames.Count);
        for (var g = 0; g < frames.Count; g++)
        {
            Assert.Equal(Anchor + (320L * g + 200) * 3, frames[g].MediaTimestamp);
            Assert.Equal(Dim, frames[g].Values.Length);
        }
        var more = Stream(frontEnd, TestAudio.Noise(16_000, 0.3, 2), 320);
        Assert.Equal(50, more.Count);
        Assert.Equal(48 + 25, frontEnd.Runs);   // two frames per run
    }

    [Theory]
    [InlineData(320, 16_000, 2)]
    [InlineData(777, 1000, 1)]
    [InlineData(4096, 0, 3)]
    public void Process_Chunked_EqualsOnePassOverWholeSignal(int chunk, int context, int framesPerRun)
    {
        using var model = Load(o => o with { ContextSamples = context, FramesPerRun = framesPerRun });
        var signal = TestAudio.Noise(40_000, 0.5, 3);
        var reference = model.Encode(signal, out var referenceFrames);
        using var frontEnd = new Wav2Vec2FrontEnd(model);

        var frames = Stream(frontEnd, signal, chunk);

        Assert.True(frames.Count >= referenceFrames - 6, $"{frames.Count} of {referenceFrames} frames emitted");
        for (var g = 0; g < frames.Count; g++)
        {
            Assert.Equal(Anchor + (320L * g + 200) * 3, frames[g].MediaTimestamp);
            var expected = reference.AsSpan(g * Dim, Dim).ToArray();
            for (var d = 0; d < Dim; d++) Assert.Equal(expected[d], frames[g].Values[d], 4);
        }
    }

    [Fact]
    public void Process_BeforeLookahead_EmitsNothing()
    {
        using var model = Load(o => o with { FramesPerRun = 1 });
        using var frontEnd = new Wav2Vec2FrontEnd(model);
        Assert.Empty(frontEnd.Process(new float[1479], Anchor));
        Assert.Single(frontEnd.Process(new float[1], Anchor + 1479 * 3));
    }

    [Fact]
    public void Reset_RestartsFramesAndClock()
    {
        using var model = Load();
        using var frontEnd = new Wav2Vec2FrontEnd(model);
        var signal = TestAudio.Noise(8000, 0.3, 4);
        var first = frontEnd.Process(signal, 0);
        frontEnd.Reset();
        var second = frontEnd.Process(signal, 3000);
        Assert.Equal(first.Count, second.Count);
        Assert.Equal(first[0].MediaTimestamp + 3000, second[0].MediaTimestamp);
        Assert.Equal(first[^1].Values, second[^1].Values);
    }

    [Fact]
    public void Process_NormalizeInput_ScaleInvariant()
    {
        using var model = Load(o => o with { NormalizeInput = true, FramesPerRun = 50 });
        using var a = new Wav2Vec2FrontEnd(model);
        using var b = new Wav2Vec2FrontEnd(model);
        var signal = TestAudio.Noise(20_000, 0.1, 5);
        var louder = Array.ConvertAll(signal, s => s * 4);
        var x = a.Process(signal, 0);
        var y = b.Process(louder, 0);
        Assert.NotEmpty(x);
        for (var d = 0; d < Dim; d++) Assert.Equal(x[5].Values[d], y[5].Values[d], 3);
    }

    [Fact]
    public void Model_PreferCuda_UsesItOrLogsCpuFallback()
    {
        var logger = new ListLogger<Wav2Vec2Model>();
        using var model = new Wav2Vec2Model(new Wav2Vec2Options { ModelPath = _modelPath, PreferCuda = true }, logger);
        var loaded = Assert.Single(logger.Events, e => e.Id.Id == 1600);
        Assert.Contains(model.UsesCuda ? "on CUDA" : "on CPU", loaded.Message, StringComparison.Ordinal);
        // The onnxruntime-node library lists CUDA but cannot load it: a warning says the encoder runs on the CPU.
        Assert.Equal(!model.UsesCuda, logger.Events.Any(e => e.Id.Id == 1601 && e.Level == Microsoft.Extensions.Logging.LogLevel.Warning));
        Assert.Equal(49, Wav2Vec2Model.FrameCount(16_000));
        model.Encode(new float[16_000], out var frames);
        Assert.Equal(49, frames);
    }

    [Fact]
    public void Model_WrongInputName_ExplainsInterface()
    {
        var path = TinyWav2Vec2.WriteTemp(Dim, inputName: "audio");
        try
        {
            var error = Assert.Throws<InvalidDataException>(() => new Wav2Vec2Model(new Wav2Vec2Options { ModelPath = path }));
            Assert.Contains("no input 'input_values'", error.Message, StringComparison.Ordinal);
            Assert.Contains("audio", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Model_FeatureDimDisagrees_Throws()
    {
        var error = Assert.Throws<InvalidDataException>(() => Load(o => o with { FeatureDim = 768 }));
        Assert.Contains("768", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadOptions_ListsEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new Wav2Vec2Model(new Wav2Vec2Options
        {
            ContextSamples = -1,
            LookaheadSamples = 100,
            FramesPerRun = 0,
        }));
        Assert.Contains("ModelPath", error.Message, StringComparison.Ordinal);
        Assert.Contains("ContextSamples", error.Message, StringComparison.Ordinal);
        Assert.Contains("LookaheadSamples", error.Message, StringComparison.Ordinal);
        Assert.Contains("FramesPerRun", error.Message, StringComparison.Ordinal);
    }
}
