using RealtimeHead.Rendering;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Rendering;

namespace RealtimeHead.Server.Hosting;

/// <summary>Makes the renderer singleton Model:Renderer names.</summary>
internal static class RendererFactory
{
    public static ITalkingHeadRenderer Create(ModelOptions model) => model.Renderer.ToLowerInvariant() switch
    {
        RendererNames.Still => new StillPortraitRenderer(model.StillFrameSize),
        _ => throw new InvalidOperationException($"Model:Renderer '{model.Renderer}' is not available in this build; use one of: {string.Join(", ", RendererNames.All)}."),
    };
}
