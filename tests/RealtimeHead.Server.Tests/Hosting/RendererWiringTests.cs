using RealtimeHead.Testing.Sdp;
using RealtimeHead.Model.Inference;
using RealtimeHead.Rendering;
using RealtimeHead.Server.Rendering;
using RealtimeHead.Server.Sessions;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Hosting;

/// <summary>The composition root's own renderers: the S3D-NeRF model (tiny preset, fresh weights) and the still renderer.</summary>
public sealed class RendererWiringTests
{
    [Fact]
    public async Task S3DNeRF_JoinAndOffer_RendersFramesOfTheModel()
    {
        await using var server = await ServerFixture.StartWithConfiguredRendererAsync(s =>
        {
            s["RealtimeHead:Model:Renderer"] = "s3d-nerf";
            s["RealtimeHead:Model:Preset"] = "tiny";
            s["RealtimeHead:Model:Threads"] = "1";
        });
        var renderer = Assert.IsType<S3DNeRFTalkingHeadRenderer>(server.Get<ITalkingHeadRenderer>());
        await using var client = await server.ConnectAsync();

        var join = await client.InvokeAsync("Join", "default");
        var offer = await client.InvokeAsync("Offer", ChromiumOffer.Text);

        Assert.Null(join.Error);
        Assert.Equal(renderer.FrameSize, join.Value.GetProperty("frameSize").GetInt32());
        Assert.Equal(128, renderer.FrameSize);
        Assert.Null(offer.Error);

        // The face idles without audio: the scheduler renders model frames for the session.
        var scheduler = server.Get<RenderDevice>().Scheduler;
        using var http = server.Server.CreateClient();
        await Eventually.TrueAsync(
            () => http.GetStringAsync("/metrics").Result.Contains("realtimehead_pipeline_batch_size_count", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60));
        Assert.True(scheduler.Ticks > 0);
    }

    [Fact]
    public async Task Still_Configured_IsTheRendererSingleton()
    {
        await using var server = await ServerFixture.StartWithConfiguredRendererAsync(s =>
        {
            s["RealtimeHead:Model:Renderer"] = "still";
            s["RealtimeHead:Model:StillFrameSize"] = "64";
        });

        var renderer = Assert.IsType<StillPortraitRenderer>(server.Get<ITalkingHeadRenderer>());

        Assert.Equal(64, renderer.FrameSize);
        Assert.Same(renderer, server.Get<RenderDevice>().Renderer);
    }
}
