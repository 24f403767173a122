using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// What the deformation needs per frame, computed once and then shared by every ray sample of that frame: a_dri,
/// and depending on the variant F_agg, F_cm and the Eq. 3 attention weights. Owns its tensors.
/// </summary>
public sealed class DeformationConditioning : IDisposable
{
    public DeformationConditioning(Tensor audio, Tensor? aggregated, Tensor? correlation, Tensor? attentionWeights)
    {
        Audio = audio ?? throw new ArgumentNullException(nameof(audio));
        Aggregated = aggregated;
        Correlation = correlation;
        AttentionWeights = attentionWeights;
    }

    /// <summary>a_dri [B, T_a, AudioDim].</summary>
    public Tensor Audio { get; }

    /// <summary>F_agg [B, H_s·W_s, SlotDim]; null for the Naive and None variants.</summary>
    public Tensor? Aggregated { get; }

    /// <summary>F_cm [B, H_s·W_s, AttentionDim]; CrossModal only.</summary>
    public Tensor? Correlation { get; }

    /// <summary>Eq. 3 softmax weights [B, heads, H_s·W_s, T_a]; CrossModal only.</summary>
    public Tensor? AttentionWeights { get; }

    public void Dispose()
    {
        Audio.Dispose();
        Aggregated?.Dispose();
        Correlation?.Dispose();
        AttentionWeights?.Dispose();
    }
}
