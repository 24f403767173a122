using RealtimeHead.Model;
using RealtimeHead.Model.Inference;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Cli.Render;

/// <summary>
/// The models <c>realtimehead render</c> loads: a checkpoint directory (<c>--checkpoint</c>), or the bundled default.
/// No trained model is bundled yet, so the default is <see cref="S3DNeRFModelFactory"/>'s seeded fresh model of the
/// preset: it exercises the whole pipeline at the real cost, but draws colour fields, not a face (the command says so).
/// </summary>
internal static class DefaultRenderModels
{
    /// <summary>Preset names <c>--preset</c> accepts.</summary>
    public static readonly string[] Presets = ["tiny", "paper"];

    public static RenderModel Create(RenderModelRequest request)
    {
        // A checkpoint records its own config; a preset given with it must match (the factory checks).
        var config = request.Preset is { } preset ? S3DNeRFConfig.FromPreset(preset)
            : request.CheckpointDirectory is null ? S3DNeRFConfig.Tiny : null;
        S3DNeRFTalkingHeadRenderer renderer;
        try
        {
            // libtorch uses one thread unless told (ENVIRONMENT.md); offline rendering may take every core.
            set_num_threads(Math.Max(1, Environment.ProcessorCount));
            renderer = S3DNeRFModelFactory.CreateRenderer(request.CheckpointDirectory, config);
        }
        catch (Exception e) when (request.CheckpointDirectory is not null && e is InvalidDataException or IOException or ArgumentException)
        {
            throw new RenderInputException($"--checkpoint {request.CheckpointDirectory}: {e.Message}", 1, e);
        }

        var used = renderer.Inference.Config;
        var description = $"S3D-NeRF {used.Preset} {used.ImageSize}x{used.ImageSize} (render {used.RenderSize}x{used.RenderSize})" +
            (request.CheckpointDirectory is { } directory ? $" from {directory}" : " untrained");
        var notice = request.CheckpointDirectory is null
            ? $"no --checkpoint given and no trained model is bundled yet: rendering with a freshly initialised, UNTRAINED S3D-NeRF " +
              $"'{used.Preset}' (seed {S3DNeRFModelFactory.DefaultSeed}). It draws colour fields, not a face; pass --checkpoint DIR " +
              "with a trained model."
            : null;
        return new RenderModel(renderer, description, notice);
    }
}
