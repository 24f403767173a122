using RealtimeHead.Model;
using RealtimeHead.Model.Checkpoints;
using RealtimeHead.Model.Inference;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Cli.Render;

/// <summary>
/// The models <c>realtimehead render</c> loads: a checkpoint directory (<c>--checkpoint</c>), else the trained model
/// bundled with the build for the preset (<see cref="BundledModels"/>), else <see cref="S3DNeRFModelFactory"/>'s seeded
/// fresh model of the preset: it exercises the whole pipeline at the real cost, but draws colour fields, not a face (the
/// command says so).
/// </summary>
internal static class DefaultRenderModels
{
    /// <summary>Preset names <c>--preset</c> accepts.</summary>
    public static readonly string[] Presets = ["tiny", "paper"];

    public static RenderModel Create(RenderModelRequest request) => Create(request, BundledModels.BesideApplication);

    /// <summary><see cref="Create(RenderModelRequest)"/> with the bundled models looked up in <paramref name="bundled"/>.</summary>
    internal static RenderModel Create(RenderModelRequest request, BundledModels bundled)
    {
        // A checkpoint records its own config; a preset given with it must match (the factory checks).
        var config = request.Preset is { } preset ? S3DNeRFConfig.FromPreset(preset)
            : request.CheckpointDirectory is null ? S3DNeRFConfig.Tiny : null;
        string? checkpoint;
        try
        {
            checkpoint = S3DNeRFModelFactory.ResolveCheckpoint(request.CheckpointDirectory, config, bundled);
        }
        catch (InvalidDataException e)
        {
            throw new RenderInputException($"the bundled model cannot be used: {e.Message}", 1, e);
        }
        var isBundled = checkpoint is not null && request.CheckpointDirectory is null;

        S3DNeRFTalkingHeadRenderer renderer;
        try
        {
            // libtorch uses one thread unless told (ENVIRONMENT.md); offline rendering may take every core.
            set_num_threads(Math.Max(1, Environment.ProcessorCount));
            renderer = S3DNeRFModelFactory.CreateRenderer(checkpoint, config);
        }
        catch (Exception e) when (checkpoint is not null && e is InvalidDataException or IOException or ArgumentException)
        {
            var source = isBundled ? $"the bundled model {checkpoint}" : $"--checkpoint {checkpoint}";
            throw new RenderInputException($"{source}: {e.Message}", 1, e);
        }

        var used = renderer.Inference.Config;
        var description = $"S3D-NeRF {used.Preset} {used.ImageSize}x{used.ImageSize} (render {used.RenderSize}x{used.RenderSize})" +
            (checkpoint is null ? " untrained" : isBundled ? $" bundled ({checkpoint})" : $" from {checkpoint}");
        var notice = checkpoint is null
            ? $"no --checkpoint given and no trained model is bundled for preset '{used.Preset}': rendering with a freshly initialised, " +
              $"UNTRAINED S3D-NeRF '{used.Preset}' (seed {S3DNeRFModelFactory.DefaultSeed}). It draws colour fields, not a face; pass " +
              "--checkpoint DIR with a trained model."
            : null;
        return new RenderModel(renderer, description, notice);
    }
}
