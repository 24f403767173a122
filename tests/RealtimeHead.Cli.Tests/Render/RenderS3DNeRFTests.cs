using System.Globalization;
using static RealtimeHead.Cli.Tests.Render.RenderTestSupport;

namespace RealtimeHead.Cli.Tests.Render;

/// <summary>The command with its real default: the bundled trained tiny S3D-NeRF (src/RealtimeHead.Model/Default/tiny).</summary>
public sealed class RenderS3DNeRFTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("rh-render-s3d-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public async Task Render_DefaultTinyModel_WritesTheAudiosLengthOf128x128FramesFromTheBundledModel()
    {
        var audio = Speech(_temp.FullName, "One two.");
        var output = Path.Combine(_temp.FullName, "s3d.mp4");

        var (code, stdout, stderr) = await RunAsync(null, default,
            "render", "--portrait", Portrait(_temp.FullName, 160, 200), "--audio", audio, "-o", output, "--pose", "5,0,0");

        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("UNTRAINED", stderr);
        Assert.Contains("S3D-NeRF tiny 128x128 (render 32x32) bundled (", stderr);
        var probe = Probe(output);
        var seconds = AudioSeconds(audio);
        var duration = double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(duration, seconds - 0.04, seconds + 0.04);
        var video = Stream(probe, "video");
        Assert.Equal((128, 128), (video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32()));
        Assert.Equal("25/1", video.GetProperty("r_frame_rate").GetString());
        Assert.Equal((int)Math.Ceiling(seconds * 25 - 1e-6), int.Parse(video.GetProperty("nb_read_frames").GetString()!, CultureInfo.InvariantCulture));
        Assert.Contains("Wrote", stdout);
    }

    [Fact]
    public async Task Render_CheckpointThatIsNotOne_Exit1NamingIt()
    {
        var checkpoint = Directory.CreateDirectory(Path.Combine(_temp.FullName, "ckpt")).FullName;
        var output = Path.Combine(_temp.FullName, "o.mp4");

        var (code, _, stderr) = await RunAsync(null, default,
            "render", "--portrait", Portrait(_temp.FullName), "--audio", Tone48k(_temp.FullName, 0.2), "-o", output, "--checkpoint", checkpoint);

        Assert.Equal(1, code);
        Assert.Contains($"--checkpoint {checkpoint}", stderr);
        Assert.Contains("not an S3D-NeRF checkpoint", stderr);
        Assert.False(File.Exists(output));
    }
}
