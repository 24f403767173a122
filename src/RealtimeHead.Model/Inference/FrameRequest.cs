using RealtimeHead.Rendering;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Inference;

/// <summary>One frame for <see cref="S3DNeRFInference.Render"/>.</summary>
/// <param name="Portrait">The cached encoding of the face.</param>
/// <param name="AudioWindow">Feature window centred on the frame, [W, AudioFeatureDim] (or [1, W, AudioFeatureDim]).</param>
/// <param name="TargetPose">P_tar [4, 4] (or [1, 4, 4]), camera-to-world.</param>
/// <param name="Quality">Rung of the degradation ladder.</param>
public sealed record FrameRequest(PortraitEncoding Portrait, Tensor AudioWindow, Tensor TargetPose, RenderQuality Quality = RenderQuality.Full);
