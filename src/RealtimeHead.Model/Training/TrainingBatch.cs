using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Training;

/// <summary>
/// B clips of T consecutive frames of one speaker each (T = <see cref="S3DNeRFConfig.LipSyncFrames"/> when the lip-sync
/// loss is on: Sec. 3.4 "T frames of the same person are generated once a time"). Images in [-1, 1].
/// </summary>
/// <param name="Source">I_src [B, 3, S, S]: the single shot of each clip's speaker.</param>
/// <param name="SourcePose">P_src [B, 4, 4].</param>
/// <param name="Audio">Audio windows [B, T, W, AudioFeatureDim], one centred on every frame.</param>
/// <param name="TargetPoses">P_tar [B, T, 4, 4].</param>
/// <param name="Targets">Ground-truth frames [B, T, 3, S, S].</param>
/// <param name="InnerFaceMask">Inner-face masks [B, T, 1, S, S] in [0, 1] (Sec. 3.3); null = the whole frame. The NeRF
/// renders only rays whose pixel is mostly inside (area-resized mask &gt; 0.5); the coarse loss is taken inside it.</param>
/// <param name="LipBoxes">Lip boxes [B, 4] or [B, T, 4] as (x0, y0, x1, y1) fractions of the frame (Sec. 3.4: from the
/// ground truth); null = <see cref="DefaultLipBox"/>.</param>
/// <param name="SyncAudio">Audio [B, W', AudioFeatureDim] spanning the T frames for the lip-sync discriminator's audio branch;
/// null = the window of the middle frame.</param>
public sealed record TrainingBatch(
    Tensor Source,
    Tensor SourcePose,
    Tensor Audio,
    Tensor TargetPoses,
    Tensor Targets,
    Tensor? InnerFaceMask = null,
    Tensor? LipBoxes = null,
    Tensor? SyncAudio = null)
{
    /// <summary>The lower-middle face of an aligned portrait: x 0.25–0.75, y 0.55–0.95.</summary>
    public static IReadOnlyList<float> DefaultLipBox { get; } = [0.25f, 0.55f, 0.75f, 0.95f];
}
