using RealtimeHead.Model.Deformation;
using RealtimeHead.Model.SuperResolution;

namespace RealtimeHead.Model.Inference;

/// <summary>
/// Multiply-accumulates (MACs; FLOPs ≈ 2 × MACs) of one frame on the streaming path, counted analytically from the
/// layer sizes of a config: weights of linear layers and convolutions, the bilinear taps of grid_sample (4 per channel)
/// and the compositing sums; activations, normalisation, softmax and ray set-up are left out (each is a few operations
/// per value, well under 5% here). The portrait-only work (<see cref="S3DNeRFInference.Encode"/>: the encoder, F_agg, the
/// super-resolution source branch) is not part of a frame.
/// </summary>
/// <param name="Points">Field evaluations per frame: R²·(S_c + S_f).</param>
/// <param name="PerFrameConditioning">Audio encoder and cross-attention (Eq. 3), once per frame.</param>
/// <param name="DeformationPerPoint">Inv(P_src), γ(x), the F_cm look-up and the U-Net MLP of Eq. 4 (0 for "w/o Deform").</param>
/// <param name="TriPlanePerPoint">Eq. 2: bilinear look-ups in 3 planes × L levels × C channels.</param>
/// <param name="DecoderPerPoint">The tri-plane decoder MLP.</param>
/// <param name="CompositingPerPoint">Eq. 5: weights and the weighted sums of rgb and features.</param>
/// <param name="SuperResolution">The super-resolution module without its cached source branch.</param>
public sealed record S3DNeRFCost(
    long Points,
    long PerFrameConditioning,
    long DeformationPerPoint,
    long TriPlanePerPoint,
    long DecoderPerPoint,
    long CompositingPerPoint,
    long SuperResolution)
{
    /// <summary>Frequencies of γ(x) in <see cref="DeformationField"/> (its default).</summary>
    private const int PositionalFrequencies = 4;

    /// <summary>MACs of one frame.</summary>
    public long TotalMacs => PerFrameConditioning + Points * (DeformationPerPoint + TriPlanePerPoint + DecoderPerPoint + CompositingPerPoint) + SuperResolution;

    /// <summary>≈ 2 × <see cref="TotalMacs"/>, in GFLOPs.</summary>
    public double GigaFlops => 2.0 * TotalMacs / 1e9;

    /// <summary>The cost of one Full-quality frame of <paramref name="config"/>.</summary>
    public static S3DNeRFCost For(S3DNeRFConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long r = config.RenderSize, s = config.ImageSize;
        var points = r * r * (config.CoarseSamples + config.ImportanceSamples);

        // Audio encoder: kernel-3 lift, up to two stride-2 kernel-3 convs, a 1x1 mix (AudioEncoder).
        long a = config.AudioDim, steps = config.AudioWindow;
        var audio = steps * a * config.AudioFeatureDim * 3;
        for (var i = 0; i < 2 && (steps + 1) / 2 >= 4; i++)
        {
            steps = (steps + 1) / 2;
            audio += steps * a * a * 3;
        }
        audio += steps * a * a;

        long tokens = (long)config.SlotGrid * config.SlotGrid, d = config.AttentionDim;
        var attention = config.Deformation == DeformationVariant.CrossModal
            ? tokens * config.SlotDim * d + 2 * steps * a * d + 2 * tokens * steps * d + tokens * d * d
            : 0;

        long deformation = 0;
        if (config.Deformation != DeformationVariant.None)
        {
            long visual = config.Deformation switch
            {
                DeformationVariant.CrossModal => config.AttentionDim,
                DeformationVariant.FeatureConcatenate => config.SlotDim,
                _ => 0,
            };
            long inputs = 3 + 6L * PositionalFrequencies + visual + a;
            long wide = config.DeformHidden, middle = Math.Max(8, wide / 2), narrow = Math.Max(8, wide / 4);
            deformation = 9                                   // R_srcᵀ·x
                + 3L * PositionalFrequencies                  // γ(x) scaling
                + 4 * visual                                  // bilinear F_cm / F_agg look-up
                + inputs * wide + wide * middle + middle * narrow + (narrow + middle) * middle + (middle + wide) * wide + wide * 3;
        }
        else
        {
            deformation = 9;
        }

        var planeChannels = (long)config.Levels * config.PlaneChannels;
        var triPlane = 4 * 3 * planeChannels;
        long decoderInputs = planeChannels + (config.Deformation == DeformationVariant.None ? a : 0);
        long hidden = config.DecoderHidden, features = config.RenderFeatureChannels;
        var decoder = decoderInputs * hidden + hidden * (4 + features);
        var compositing = 3 + (3 + features);                 // α, T, w; then Σ w·(rgb, f)

        // Super-resolution without the cached source branch (its conv at S and the stride-k conv to R).
        var network = new SuperResolutionNetworkShape(config);
        var superResolution = network.MacsPerFrame - network.SourceBranchMacs;
        return new S3DNeRFCost(points, audio + attention, deformation, triPlane, decoder, compositing, superResolution);
    }

    /// <summary>The layer sizes of <see cref="SuperResolutionNetwork"/> for a config, without building it.</summary>
    private sealed record SuperResolutionNetworkShape(S3DNeRFConfig Config)
    {
        private long Full => (long)Config.ImageSize * Config.ImageSize;
        private long Low => (long)Config.RenderSize * Config.RenderSize;
        private long C => Config.SuperResolutionChannels;
        private long H => Math.Max(8, Config.SuperResolutionChannels / 4);

        public long SourceBranchMacs => Full * H * 3 * 9 + Low * C * H * 9;

        /// <summary>Same count as <see cref="SuperResolutionNetwork.MultiplyAccumulatesPerFrame"/> with 2 residual blocks.</summary>
        public long MacsPerFrame
        {
            get
            {
                long k = Config.ImageSize / Config.RenderSize, coarse = 3 + Config.RenderFeatureChannels;
                return SourceBranchMacs + Low * C * coarse * 9 + Low * C * 2 * C + 2 * 2 * Low * C * C * 9 + Low * H * k * k * C
                    + Full * H * (2 * H + 3) * 9 + Full * 3 * H * 9;
            }
        }
    }
}
