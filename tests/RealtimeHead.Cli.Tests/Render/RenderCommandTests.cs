using System.Globalization;
using RealtimeHead.Audio.IO;
using RealtimeHead.Cli.Render;
using static RealtimeHead.Cli.Tests.Render.RenderTestSupport;

namespace RealtimeHead.Cli.Tests.Render;

public sealed class RenderCommandTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("rh-render-");

    public void Dispose() => _temp.Delete(recursive: true);

    private string Dir => _temp.FullName;

    private static RenderModelFactory Fake(PaintingRenderer renderer, string? notice = null) =>
        _ => new RenderModel(renderer, "painting test renderer", notice);

    [Fact]
    public async Task Render_EspeakSpeech_Mp4MatchesTheAudioWithin40MsAt25FpsOfTheFrameSize()
    {
        var audio = Speech(Dir, "Hello there, this is a test.");
        var output = Path.Combine(Dir, "out.mp4");
        var renderer = new PaintingRenderer(frameSize: 32);

        var (code, stdout, stderr) = await RunAsync(Fake(renderer, "the model is untrained"), default,
            "render", "--portrait", Portrait(Dir), "--audio", audio, "-o", output);

        Assert.True(code == 0, stderr);
        var probe = Probe(output);
        var seconds = AudioSeconds(audio);
        var duration = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(duration, seconds - 0.04, seconds + 0.04);
        var video = Stream(probe, "video");
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal(32, video.GetProperty("width").GetInt32());
        Assert.Equal(32, video.GetProperty("height").GetInt32());
        Assert.Equal("25/1", video.GetProperty("r_frame_rate").GetString());
        var frames = int.Parse(video.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal((int)Math.Ceiling(seconds * 25 - 1e-6), frames);
        var voice = Stream(probe, "audio");
        Assert.Equal("aac", voice.GetProperty("codec_name").GetString());
        Assert.Equal("48000", voice.GetProperty("sample_rate").GetString());
        // The portrait reached the model cropped to a square of the frame size; the model was released.
        Assert.Equal((32, 32), (renderer.Portrait!.Value.Width, renderer.Portrait.Value.Height));
        Assert.True(renderer.Disposed);
        Assert.Contains("notice: the model is untrained", stderr);
        Assert.Contains("render: 100%", stderr);
        Assert.Contains($"Wrote {output}: {frames} frames", stdout);
        Assert.Equal(["face.png", "out.mp4", "speech.wav"], Directory.GetFiles(Dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Render_48kHzWavAndJpegPortrait_EveryFrameWritten()
    {
        var audio = Tone48k(Dir, 1.0);
        var output = Path.Combine(Dir, "tone.mp4");
        var renderer = new PaintingRenderer(frameSize: 16);

        var (code, _, stderr) = await RunAsync(Fake(renderer), default,
            "render", "-p", Portrait(Dir, 60, 90, "face.jpg"), "-a", audio, "-o", output, "--pose", "10,-5,2");

        Assert.True(code == 0, stderr);
        var video = Stream(Probe(output), "video");
        Assert.Equal("25", video.GetProperty("nb_read_frames").GetString());
        Assert.Equal(16, video.GetProperty("width").GetInt32());
        Assert.Equal((16, 16), (renderer.Portrait!.Value.Width, renderer.Portrait.Value.Height));
        Assert.DoesNotContain("notice:", stderr);
    }

    [Fact]
    public async Task Render_MissingPortrait_Exit1NamingItAndNoOutput()
    {
        var output = Path.Combine(Dir, "out.mp4");

        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default,
            "render", "--portrait", Path.Combine(Dir, "nobody.png"), "--audio", Tone48k(Dir, 0.2), "-o", output);

        Assert.Equal(1, code);
        Assert.Contains("--portrait", stderr);
        Assert.Contains("nobody.png: file not found", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Render_PortraitNotAnImage_Exit1AndNothingWritten()
    {
        var notImage = Path.Combine(Dir, "face.png");
        await File.WriteAllTextAsync(notImage, "this is not a picture");
        var output = Path.Combine(Dir, "out.mp4");

        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default,
            "render", "--portrait", notImage, "--audio", Tone48k(Dir, 0.2), "-o", output);

        Assert.Equal(1, code);
        Assert.Contains($"--portrait {notImage}: not a readable PNG or JPEG image", stderr);
        Assert.Equal(["face.png", "tone.wav"], Directory.GetFiles(Dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Render_AudioNotAudio_Exit1NamingIt()
    {
        var output = Path.Combine(Dir, "out.mp4");
        var portrait = Portrait(Dir);

        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default,
            "render", "--portrait", portrait, "--audio", portrait, "-o", output);

        Assert.Equal(1, code);
        Assert.Contains($"--audio {portrait}: not a readable audio file", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Render_ZeroLengthAudio_Exit1SaysEmpty()
    {
        var empty = Path.Combine(Dir, "empty.wav");
        WavFile.Write(empty, new WavAudio(48_000, 1, []));
        var output = Path.Combine(Dir, "out.mp4");

        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default,
            "render", "--portrait", Portrait(Dir), "--audio", empty, "-o", output);

        Assert.Equal(1, code);
        Assert.Contains($"--audio {empty}: the audio is empty", stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Render_MissingAudioFile_Exit1()
    {
        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default,
            "render", "--portrait", Portrait(Dir), "--audio", Path.Combine(Dir, "silence.ogg"), "-o", Path.Combine(Dir, "o.mp4"));

        Assert.Equal(1, code);
        Assert.Contains("silence.ogg: file not found", stderr);
    }

    [Theory]
    [InlineData("10,abc,0", "expected yaw,pitch,roll")]
    [InlineData("10,0", "expected yaw,pitch,roll")]
    [InlineData("0,75,0", "pitch 75° is outside")]
    public async Task Render_BadPose_Exit1NamingTheArgument(string pose, string expected)
    {
        var output = Path.Combine(Dir, "out.mp4");

        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default,
            "render", "--portrait", Portrait(Dir), "--audio", Tone48k(Dir, 0.2), "-o", output, "--pose", pose);

        Assert.Equal(1, code);
        Assert.Contains($"--pose '{pose}'", stderr);
        Assert.Contains(expected, stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Render_OutputDirectoryMissing_Exit1()
    {
        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default,
            "render", "--portrait", Portrait(Dir), "--audio", Tone48k(Dir, 0.2), "-o", Path.Combine(Dir, "no", "out.mp4"));

        Assert.Equal(1, code);
        Assert.Contains("does not exist", stderr);
    }

    [Theory]
    [InlineData("--portrait", "face.png", "--audio", "a.wav")]
    [InlineData("--portrait", "face.png", "--audio", "a.wav", "-o", "x.mp4", "--preset", "huge")]
    [InlineData("--portrait", "face.png", "--audio", "a.wav", "-o", "x.mp4", "--front-end", "wav2vec2")]
    public async Task Render_UsageErrors_Exit2(params string[] args)
    {
        var (code, _, stderr) = await RunAsync(Fake(new PaintingRenderer()), default, ["render", .. args]);

        Assert.Equal(2, code);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task Render_FrontEndDimensionMismatch_Exit1Explains()
    {
        var renderer = new PaintingRenderer(featureDim: 768);

        var (code, _, stderr) = await RunAsync(Fake(renderer), default,
            "render", "--portrait", Portrait(Dir), "--audio", Tone48k(Dir, 0.2), "-o", Path.Combine(Dir, "o.mp4"));

        Assert.Equal(1, code);
        Assert.Contains("makes 80-dim features but the model takes 768", stderr);
        Assert.True(renderer.Disposed);
    }

    [Fact]
    public async Task Render_CancelledMidway_Exit130AndNoFilesLeft()
    {
        using var cancellation = new CancellationTokenSource();
        var renderer = new PaintingRenderer { CancelAfter = cancellation, CancelAfterFrames = 10 };
        var audio = Tone48k(Dir, 2.0);
        var portrait = Portrait(Dir);

        var (code, _, stderr) = await RunAsync(Fake(renderer), cancellation.Token,
            "render", "--portrait", portrait, "--audio", audio, "-o", Path.Combine(Dir, "out.mp4"));

        Assert.Equal(130, code);
        Assert.Contains("nothing was written", stderr);
        Assert.Equal(["face.png", "tone.wav"], Directory.GetFiles(Dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Render_ExistingOutput_ReplacedOnlyWhenComplete()
    {
        var output = Path.Combine(Dir, "out.mp4");
        await File.WriteAllTextAsync(output, "previous result");
        using var cancellation = new CancellationTokenSource();
        var renderer = new PaintingRenderer { CancelAfter = cancellation, CancelAfterFrames = 5 };

        var (code, _, _) = await RunAsync(Fake(renderer), cancellation.Token,
            "render", "--portrait", Portrait(Dir), "--audio", Tone48k(Dir, 1.0), "-o", output);

        Assert.Equal(130, code);
        Assert.Equal("previous result", await File.ReadAllTextAsync(output));
    }
}
