using RealtimeHead.Model.Encoder;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// The Cross-modal Facial Deformation Field of S3D-NeRF Sec. 3.2 wired together for one
/// <see cref="S3DNeRFConfig.Deformation"/> variant: <see cref="Condition"/> runs the per-frame parts (audio encoder,
/// slot aggregation, cross-attention) once, <see cref="forward"/> then deforms any number of points.
/// Components a variant does not use are not created (so they have no parameters to train).
/// </summary>
public sealed class FacialDeformation : nn.Module
{
    private readonly AudioEncoder _audio;
    private readonly FeatureAggregator? _aggregator;
    private readonly CrossModalAttention? _attention;
    private readonly DeformationField _field;

    public FacialDeformation(S3DNeRFConfig config) : base(nameof(FacialDeformation))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        Variant = config.Deformation;
        _audio = new AudioEncoder(config);
        if (Variant is DeformationVariant.CrossModal or DeformationVariant.FeatureConcatenate) _aggregator = new FeatureAggregator(config);
        if (Variant == DeformationVariant.CrossModal) _attention = new CrossModalAttention(config);
        _field = new DeformationField(config);
        RegisterComponents();
    }

    public DeformationVariant Variant { get; }

    public AudioEncoder Audio => _audio;

    public FeatureAggregator? Aggregator => _aggregator;

    public CrossModalAttention? Attention => _attention;

    public DeformationField Field => _field;

    /// <summary>pyramid of the source image, audio window [B, W, AudioFeatureDim] → the per-frame conditioning.</summary>
    public DeformationConditioning Condition(TriPlanePyramid pyramid, Tensor audioWindow)
    {
        ArgumentNullException.ThrowIfNull(pyramid);
        ArgumentNullException.ThrowIfNull(audioWindow);
        var audio = _audio.forward(audioWindow);
        var aggregated = _aggregator?.forward(pyramid);
        Tensor? correlation = null, weights = null;
        if (_attention is not null) (correlation, weights) = _attention.forward(aggregated!, audio);
        return new DeformationConditioning(audio, aggregated, correlation, weights);
    }

    /// <summary>points [B, N, 3] (normalised source tri-plane frame) → Δx [B, N, 3] (S3D-NeRF Eq. 4).</summary>
    public Tensor forward(Tensor points, DeformationConditioning conditioning)
    {
        ArgumentNullException.ThrowIfNull(conditioning);
        var visual = Variant switch
        {
            DeformationVariant.CrossModal => conditioning.Correlation,
            DeformationVariant.FeatureConcatenate => conditioning.Aggregated,
            _ => null,
        };
        return _field.forward(points, conditioning.Audio, visual);
    }
}
