using RealtimeHead.Model.Checkpoints;
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
    /// its cost. Sets the global torch seed when initialising fresh.
    /// </summary>
    public static S3DNeRF LoadDefault(string? checkpointDirectory = null, S3DNeRFConfig? config = null, long seed = DefaultSeed)
    {
        if (!string.IsNullOrEmpty(checkpointDirectory)) return S3DNeRFCheckpoint.LoadModel(checkpointDirectory, config);
        manual_seed(seed);
        var model = new S3DNeRF(config ?? S3DNeRFConfig.Tiny);
        model.eval();
        return model;
    }

    /// <summary><see cref="LoadDefault"/> wrapped as an <see cref="RealtimeHead.Rendering.ITalkingHeadRenderer"/> that owns the model.</summary>
    public static S3DNeRFTalkingHeadRenderer CreateRenderer(string? checkpointDirectory = null, S3DNeRFConfig? config = null, long seed = DefaultSeed) =>
        new(LoadDefault(checkpointDirectory, config, seed), ownsModel: true);
}
