namespace RealtimeHead.Cli.Render;

/// <summary>The models this build can load for <c>realtimehead render</c>.</summary>
internal static class DefaultRenderModels
{
    /// <summary>Preset names <c>--preset</c> accepts.</summary>
    public static readonly string[] Presets = ["tiny", "paper"];

    public static RenderModel Create(RenderModelRequest request) =>
        throw new RenderInputException("This build has no S3D-NeRF model assembly yet; nothing can render.");
}
