using RealtimeHead.Model.Inference;
using RealtimeHead.Model.SuperResolution;

namespace RealtimeHead.Model.Tests.Inference;

public sealed class S3DNeRFCostTests
{
    [Fact]
    public void For_Tiny_MatchesHandCountAndSuperResolutionModule()
    {
        var config = S3DNeRFConfig.Tiny;
        var cost = S3DNeRFCost.For(config);

        Assert.Equal(32L * 32 * 16, cost.Points);
        // Deformation: 9 + 12 + 4·64 + (3 + 24 + 64 + 64)·64 + 64·32 + 32·16 + 48·32 + 96·64 + 64·3.
        Assert.Equal(9 + 12 + 256 + 155 * 64 + 64 * 32 + 32 * 16 + 48 * 32 + 96 * 64 + 64 * 3, cost.DeformationPerPoint);
        Assert.Equal(4 * 3 * 3 * 16, cost.TriPlanePerPoint);
        Assert.Equal(48 * 32 + 32 * 17, cost.DecoderPerPoint);
        using var network = new SuperResolutionNetwork(config);
        var sourceBranch = 128L * 128 * 8 * 3 * 9 + 32L * 32 * 32 * 8 * 9;
        Assert.Equal(network.MultiplyAccumulatesPerFrame() - sourceBranch, cost.SuperResolution);
        Assert.Equal(2.0 * cost.TotalMacs / 1e9, cost.GigaFlops);
    }

    [Fact]
    public void For_NoneVariant_HasNoDeformationNetworkCost()
    {
        var none = S3DNeRFCost.For(S3DNeRFConfig.Tiny with { Deformation = DeformationVariant.None });
        var crossModal = S3DNeRFCost.For(S3DNeRFConfig.Tiny);
        Assert.Equal(9, none.DeformationPerPoint);
        Assert.True(none.DecoderPerPoint > crossModal.DecoderPerPoint); // ā_dri joins the decoder input
        Assert.True(none.PerFrameConditioning < crossModal.PerFrameConditioning);
    }
}
