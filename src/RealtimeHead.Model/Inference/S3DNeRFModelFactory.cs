using RealtimeHead.Model.Checkpoints;
using RealtimeHead.Model.Placement;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Inference;

/// <summary>Builds ready-to-render S3D-NeRF models.</summary>
public static class S3DNeRFModelFactory
{
    /// <summary>Seed of <see cref="LoadDefault"/>'s fresh initialisation.</summary>
    public const long DefaultSeed = 20240;

    /// <summary>
    /// The model of a checkpoint directory (<see cref="S3DNeRFCheckpoint"/>; its config is the one recorded there and must
    /// match <paramref name="config"/> when that is given), or, with no directory, a fresh model of
    /// <paramref name="config"/> (default <see cref="S3DNeRFConfig.Tiny"/>) initialised from <paramref name="seed"/>.
    /// A fresh model is UNTRAINED: it renders blurry colour fields, not faces; use it to exercise the pipeline and measure
    /// its cost. Sets the global torch seed when initialising fresh. The model is placed on <paramref name="placement"/>
    /// (default <see cref="ModelPlacement.Cpu"/>: fp32 on the CPU), which is checked before anything is loaded.
    /// This never looks at the bundled models: see <see cref="ResolveCheckpoint"/> and <see cref="CreateRenderer"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The placement cannot run here (no CUDA, no such GPU, reduced precision on CPU).</exception>
    public static S3DNeRF LoadDefault(string? checkpointDirectory = null, S3DNeRFConfig? config = null, long seed = DefaultSeed, ModelPlacement? placement = null)
    {
        placement = (placement ?? ModelPlacement.Cpu).EnsureAvailable();
        S3DNeRF model;
        if (!string.IsNullOrEmpty(checkpointDirectory))
        {
            model = S3DNeRFCheckpoint.LoadModel(checkpointDirectory, config);
        }
        else
        {
            manual_seed(seed);
            model = new S3DNeRF(config ?? S3DNeRFConfig.Tiny);
        }
        try
        {
            // Weights are created and loaded on the CPU, then moved (and cast) once.
            model.Place(placement);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>
    /// The checkpoint a renderer of <paramref name="config"/> (default <see cref="S3DNeRFConfig.Tiny"/>) loads: the
    /// directory given, else the one bundled for the config's preset (<paramref name="bundled"/>, default
    /// <see cref="BundledModels.BesideApplication"/>), else null (a fresh, untrained model).
    /// </summary>
    /// <exception cref="InvalidDataException">A bundled checkpoint is present but unusable.</exception>
    public static string? ResolveCheckpoint(string? checkpointDirectory, S3DNeRFConfig? config = null, BundledModels? bundled = null)
    {
        if (!string.IsNullOrEmpty(checkpointDirectory)) return checkpointDirectory;
        return (bundled ?? BundledModels.BesideApplication).TryLocate((config ?? S3DNeRFConfig.Tiny).Preset);
    }

    /// <summary>
    /// An <see cref="RealtimeHead.Rendering.ITalkingHeadRenderer"/> that owns its model: <see cref="LoadDefault"/> of
    /// <see cref="ResolveCheckpoint"/>, i.e. the checkpoint given, else the bundled one of the config's preset when the build
    /// has it, else a fresh untrained model from <paramref name="seed"/>; on <paramref name="placement"/> (default fp32 CPU).
    /// </summary>
    public static S3DNeRFTalkingHeadRenderer CreateRenderer(string? checkpointDirectory = null, S3DNeRFConfig? config = null, long seed = DefaultSeed,
        ModelPlacement? placement = null, BundledModels? bundled = null) =>
        new(LoadDefault(ResolveCheckpoint(checkpointDirectory, config, bundled), config, seed, placement), ownsModel: true);
}
