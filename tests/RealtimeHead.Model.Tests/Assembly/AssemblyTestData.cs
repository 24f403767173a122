using RealtimeHead.Model.Camera;
using RealtimeHead.Model.Training;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Tests.Assembly;

/// <summary>A config derived from Tiny that keeps whole-model tests in tens of milliseconds, and synthetic inputs for it.</summary>
internal static class AssemblyTestData
{
    /// <summary>The encoder tests' Micro sizes (32x32 frames, 16x16 render, 2 levels) with 4 + 4 samples per ray, T = 2 lip frames.</summary>
    public static S3DNeRFConfig Small { get; } = Encoder.TestConfigs.Micro with
    {
        Preset = "tiny-test",
        SlotIterations = 1,
        DecoderHidden = 16,
        RenderFeatureChannels = 3,
        CoarseSamples = 4,
        ImportanceSamples = 4,
        SuperResolutionChannels = 8,
        LipSyncFrames = 2,
        LipSyncEmbedding = 16,
        DiscriminatorChannels = 4,
    };

    /// <summary>Images [B, 3, S, S] in [-1, 1].</summary>
    public static Tensor Images(S3DNeRFConfig config, long batch) => rand([batch, 3, config.ImageSize, config.ImageSize]).mul(2).sub(1);

    /// <summary>Audio windows [B, W, F].</summary>
    public static Tensor Audio(S3DNeRFConfig config, long batch) => randn([batch, config.AudioWindow, config.AudioFeatureDim]);

    /// <summary>Cameras at small random yaw/pitch/roll, [B, 4, 4].</summary>
    public static Tensor Poses(S3DNeRFConfig config, long batch)
    {
        using var scope = NewDisposeScope();
        var angles = rand([3, batch]).sub(0.5).mul(0.4);
        return HeadPose.LookAt(angles.select(0, 0), angles.select(0, 1), angles.select(0, 2), config.CameraDistance).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// B clips of T frames: a coloured disc on a dark background whose radius follows the audio level of the frame (the
    /// audio window of frame k is filled with its level a_k ∈ [0, 1]; radius 0.25 + 0.35·a_k of the half frame). The source
    /// is the clip's first frame; poses frontal.
    /// </summary>
    public static TrainingBatch DiscClip(S3DNeRFConfig config, int batch, int frames, bool withMask = true)
    {
        using var scope = NewDisposeScope();
        var s = config.ImageSize;
        var levels = new float[batch * frames];
        for (var i = 0; i < levels.Length; i++) levels[i] = (float)(0.5 + 0.5 * Math.Sin(1.3 * i));
        var centres = (arange(s, ScalarType.Float32).add(0.5).div(s).mul(2).sub(1));
        var grid = meshgrid([centres, centres], "ij");
        var radius = grid[0].square().add(grid[1].square()).sqrt(); // [S, S]
        var frameList = new List<Tensor>();
        foreach (var level in levels)
        {
            var inside = radius.lt(0.25 + 0.35 * level).to(ScalarType.Float32).unsqueeze(0); // [1, S, S]
            var colour = tensor(new[] { 0.9f, 0.3f, -0.2f }).reshape(3, 1, 1);
            var background = tensor(new[] { -0.6f, -0.5f, -0.2f }).reshape(3, 1, 1);
            frameList.Add(inside.mul(colour).add(inside.neg().add(1).mul(background)));
        }
        var targets = stack(frameList, 0).reshape(batch, frames, 3, s, s);
        var audio = tensor(levels).reshape(batch, frames, 1, 1).expand(batch, frames, config.AudioWindow, config.AudioFeatureDim).contiguous();
        var poses = HeadPose.Frontal(config, batch * frames).reshape(batch, frames, 4, 4);
        var source = targets.select(1, 0).contiguous();
        var sourcePose = HeadPose.Frontal(config, batch);
        var mask = withMask ? radius.lt(0.7).to(ScalarType.Float32).reshape(1, 1, 1, s, s).expand(batch, frames, 1, s, s).contiguous() : null;
        var result = new TrainingBatch(source, sourcePose, audio, poses, targets.contiguous(), mask);
        foreach (var t in new[] { source, sourcePose, audio, poses, result.Targets }) t.MoveToOuterDisposeScope();
        mask?.MoveToOuterDisposeScope();
        return result;
    }
}
