using RealtimeHead.Model;
using RealtimeHead.Model.Inference;
using RealtimeHead.Model.Placement;
using RealtimeHead.Rendering;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Rendering;

namespace RealtimeHead.Server.Hosting;

/// <summary>Makes the renderer singleton Model:Renderer names (the server holds exactly one per device).</summary>
internal static class RendererFactory
{
    public static ITalkingHeadRenderer Create(ModelOptions model) => model.Renderer.ToLowerInvariant() switch
    {
        RendererNames.Still => new StillPortraitRenderer(model.StillFrameSize),
        RendererNames.S3DNeRF => CreateS3DNeRF(model),
        _ => throw new InvalidOperationException($"Model:Renderer '{model.Renderer}' is not available; use one of: {string.Join(", ", RendererNames.All)}."),
    };

    private static S3DNeRFTalkingHeadRenderer CreateS3DNeRF(ModelOptions model)
    {
        // Debian's libtorch defaults to one thread; the render thread is the only torch user, so give it the machine.
        RealtimeHead.Torch.torch.set_num_threads(model.Threads > 0 ? model.Threads : Environment.ProcessorCount);
        var checkpoint = string.IsNullOrWhiteSpace(model.CheckpointPath) ? null : model.CheckpointPath;
        // Without Model:CheckpointPath the factory takes the model bundled for the preset, else a fresh untrained one.
        return S3DNeRFModelFactory.CreateRenderer(checkpoint, S3DNeRFConfig.FromPreset(model.Preset), placement: ModelPlacement.Parse(model.Device, model.Precision));
    }
}
