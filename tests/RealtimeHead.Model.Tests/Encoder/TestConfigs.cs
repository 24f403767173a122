namespace RealtimeHead.Model.Tests.Encoder;

/// <summary>Configs smaller than Tiny so that component tests stay in milliseconds.</summary>
internal static class TestConfigs
{
    /// <summary>32x32 images, two levels (16x16, 8x8), 4-channel planes, a 4x4 slot grid.</summary>
    public static S3DNeRFConfig Micro { get; } = S3DNeRFConfig.Tiny with
    {
        Preset = "micro",
        ImageSize = 32,
        RenderSize = 16,
        EncoderChannels = [8, 12],
        PlaneChannels = 4,
        SlotGrid = 4,
        SlotCount = 3,
        SlotDim = 8,
        SlotIterations = 2,
        AudioFeatureDim = 6,
        AudioWindow = 8,
        AudioDim = 8,
        AttentionHeads = 2,
        AttentionDim = 8,
        DeformHidden = 16,
    };
}
