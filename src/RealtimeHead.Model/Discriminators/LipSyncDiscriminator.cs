using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Discriminators;

/// <summary>
/// The lip-sync discriminator of S3D-NeRF Sec. 3.4 (a SyncNet in the manner of Wav2Lip, trained with a contrastive
/// triplet loss instead of Wav2Lip's BCE). A visual branch embeds T = <see cref="S3DNeRFConfig.LipSyncFrames"/>
/// lower-face crops, an audio branch embeds the audio feature window spanning the same frames; both embeddings are
/// L2-normalised, so their dot product is the cosine of Eq. 6.
/// <para>
/// Visual branch: the T RGB crops are stacked on the channel axis ([B, T, 3, h, w] → [B, 3T, h, w], as Wav2Lip's
/// SyncNet does) and go through a 2-D conv stack: a stride-1 stem, then stride-2 stages until the map is at most
/// 4 pixels on a side, global average pooling and a linear projection. Stacking on channels lets the first layer
/// compare the frames (mouth motion) directly, and costs far less than 3-D convolutions. Any crop size from
/// 16x16 works (pooling is global); the training step should use one fixed size, e.g. the lower half of the face
/// box resized to h = S/4, w = S/2 for S = <see cref="S3DNeRFConfig.ImageSize"/>.
/// </para>
/// <para>
/// Audio branch: the window [B, W, <see cref="S3DNeRFConfig.AudioFeatureDim"/>] (W feature frames covering the T
/// video frames: 2 per frame for 50 Hz features) is read as a 1-D signal over time with AudioFeatureDim channels
/// and goes through a conv1d stack, global average pooling over time and a linear projection. Any W ≥ 4 works.
/// </para>
/// The discriminator has no normalisation layers, so train and eval behave the same and <see cref="Freeze"/> needs
/// no mode switch.
/// </summary>
public sealed class LipSyncDiscriminator : nn.Module<Tensor, Tensor, (Tensor lips, Tensor audio)>
{
    /// <summary>η of S3D-NeRF Eq. 7.</summary>
    public const double TripletMargin = 0.5;

    /// <summary>The denominator floor of Eq. 6: the paper's ε is 0, which would make 0/0 for a zero embedding.</summary>
    public const double SimilarityFloor = 1e-8;

    private const double Slope = 0.2;
    private const int MinimumCropSide = 16;

    private readonly Sequential _visual;
    private readonly Linear _visualProjection;
    private readonly Sequential _audio;
    private readonly Linear _audioProjection;

    /// <param name="config">Uses LipSyncFrames (T), AudioFeatureDim, LipSyncEmbedding, DiscriminatorChannels.</param>
    /// <param name="cropHeight">h of the lip crops the training step will feed; sizes the visual conv stack.</param>
    /// <param name="cropWidth">w of the lip crops.</param>
    public LipSyncDiscriminator(S3DNeRFConfig config, int cropHeight, int cropWidth) : base(nameof(LipSyncDiscriminator))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        if (cropHeight < MinimumCropSide || cropWidth < MinimumCropSide)
        {
            throw new ArgumentOutOfRangeException(nameof(cropHeight), $"lip crops of {cropHeight}x{cropWidth} are too small: use at least {MinimumCropSide}x{MinimumCropSide}");
        }
        Frames = config.LipSyncFrames;
        AudioFeatureDim = config.AudioFeatureDim;
        EmbeddingDim = config.LipSyncEmbedding;
        CropHeight = cropHeight;
        CropWidth = cropWidth;
        var c = config.DiscriminatorChannels;

        // Stride-2 stages until the shorter side is at most 4; widths c, 2c, 4c, 4c, ... (capped to bound the cost).
        _visual = nn.Sequential(nn.Conv2d(3 * Frames, c, 3, padding: 1), nn.LeakyReLU(Slope));
        var channels = c;
        for (var side = Math.Min(cropHeight, cropWidth); side > 4; side = (side + 1) / 2)
        {
            var next = Math.Min(channels * 2, 4 * c);
            _visual.append(nn.Conv2d(channels, next, 3, stride: 2, padding: 1)).append(nn.LeakyReLU(Slope));
            _visual.append(nn.Conv2d(next, next, 3, padding: 1)).append(nn.LeakyReLU(Slope));
            channels = next;
        }
        _visualProjection = nn.Linear(channels, EmbeddingDim);

        // Audio: kernel-3 convs over time; two stride-2 stages (W → W/4) then global pooling.
        var audioChannels = 2 * c;
        _audio = nn.Sequential(
            nn.Conv1d(AudioFeatureDim, audioChannels, 3, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv1d(audioChannels, audioChannels, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv1d(audioChannels, 4 * c, 3, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv1d(4 * c, 4 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope));
        _audioProjection = nn.Linear(4 * c, EmbeddingDim);
        RegisterComponents();
    }

    /// <summary>T: lip frames per sample.</summary>
    public int Frames { get; }

    public int AudioFeatureDim { get; }

    /// <summary>Length of e_l and e_a.</summary>
    public int EmbeddingDim { get; }

    public int CropHeight { get; }
    public int CropWidth { get; }

    /// <summary>Visual branch: lip crops [B, T, 3, h, w] (in [-1, 1]) → e_l [B, E], unit L2 norm.</summary>
    public Tensor EmbedLips(Tensor lips)
    {
        var shape = lips.shape;
        if (shape.Length != 5 || shape[1] != Frames || shape[2] != 3)
        {
            throw new ArgumentException($"lip crops must be [B, {Frames}, 3, h, w], got [{string.Join(", ", shape)}]", nameof(lips));
        }
        using var scope = NewDisposeScope();
        var stacked = lips.reshape(shape[0], 3 * Frames, shape[3], shape[4]);
        var pooled = _visual.forward(stacked).mean([2L, 3L]);
        return F.normalize(_visualProjection.forward(pooled), dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Audio branch: feature window [B, W, AudioFeatureDim] → e_a [B, E], unit L2 norm.</summary>
    public Tensor EmbedAudio(Tensor audio)
    {
        var shape = audio.shape;
        if (shape.Length != 3 || shape[2] != AudioFeatureDim || shape[1] < 4)
        {
            throw new ArgumentException($"audio window must be [B, W >= 4, {AudioFeatureDim}], got [{string.Join(", ", shape)}]", nameof(audio));
        }
        using var scope = NewDisposeScope();
        var pooled = _audio.forward(audio.transpose(1, 2)).mean(2);
        return F.normalize(_audioProjection.forward(pooled), dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Both branches: ([B, T, 3, h, w], [B, W, D]) → (e_l [B, E], e_a [B, E]).</summary>
    public override (Tensor lips, Tensor audio) forward(Tensor lips, Tensor audio) => (EmbedLips(lips), EmbedAudio(audio));

    /// <summary>
    /// Stops training the discriminator: requires_grad false on every parameter (S3D-NeRF Sec. 3.4: "the lip-sync
    /// discriminator is frozen" while the generator trains). Gradients still flow through it to its inputs.
    /// </summary>
    public LipSyncDiscriminator Freeze()
    {
        foreach (var p in parameters()) p.requires_grad = false;
        eval();
        return this;
    }

    /// <summary>
    /// S3D-NeRF Eq. 6: cos(e_l, e_a) = e_l·e_a / max(‖e_l‖‖e_a‖, ε). [B, E], [B, E] → [B]. The paper's ε = 0 would
    /// divide 0 by 0 for a zero vector, so the floor is <see cref="SimilarityFloor"/>.
    /// </summary>
    public static Tensor Similarity(Tensor lipEmbedding, Tensor audioEmbedding)
    {
        using var scope = NewDisposeScope();
        var dot = (lipEmbedding * audioEmbedding).sum(-1);
        var norms = lipEmbedding.norm(-1) * audioEmbedding.norm(-1);
        return (dot / norms.clamp_min(SimilarityFloor)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Contrastive triplet loss of S3D-NeRF Eq. 7, both terms, averaged over the batch → scalar. Every argument is [B, E].
    /// <para>
    /// Term 1 anchors the lips e_l: its synced audio e_a⁺ must beat an off-sync audio e_a⁻ by the margin η.
    /// Term 2 anchors the audio (<paramref name="audioAnchor"/>, e_a⁺ by default, i.e. the audio synced with e_l):
    /// its synced lips e_l⁺ (usually e_l itself) must beat off-sync lips e_l⁻ by η.
    /// </para>
    /// <para>
    /// Eq. 7 as printed reads max(0, η + cos(e_l, e_a⁺) − cos(e_l, e_a⁻)), which is minimised by making the positive
    /// pair LESS similar than the negative one, the opposite of what the text says the loss is for ("penalizing the
    /// out-of-sync audio-visual pair"). We implement the standard triplet hinge, max(0, η − cos(pos) + cos(neg)):
    /// zero once the positive similarity exceeds the negative one by η, which is the evident intent.
    /// </para>
    /// </summary>
    public static Tensor TripletLoss(Tensor lipEmbedding, Tensor audioPositive, Tensor audioNegative, Tensor lipPositive, Tensor lipNegative,
        Tensor? audioAnchor = null, double margin = TripletMargin)
    {
        using var scope = NewDisposeScope();
        var anchor = audioAnchor ?? audioPositive;
        var lipAnchored = (margin - Similarity(lipEmbedding, audioPositive) + Similarity(lipEmbedding, audioNegative)).clamp_min(0);
        var audioAnchored = (margin - Similarity(lipPositive, anchor) + Similarity(lipNegative, anchor)).clamp_min(0);
        return (lipAnchored + audioAnchored).mean().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Generator sync loss, S3D-NeRF Eq. 8: [B, E], [B, E] → scalar. The paper writes L = cos(e_l^gen, e_gt), a
    /// similarity that training must raise; as a loss to minimise we use its complement, mean(1 − cos), which has the
    /// same gradient up to sign, is 0 for perfect sync and at most 2.
    /// </summary>
    public static Tensor GeneratorSyncLoss(Tensor generatedLipEmbedding, Tensor audioEmbedding)
    {
        using var scope = NewDisposeScope();
        return (1 - Similarity(generatedLipEmbedding, audioEmbedding)).mean().MoveToOuterDisposeScope();
    }
}
