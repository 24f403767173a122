namespace RealtimeHead.Model;

/// <summary>Which deformation the model uses: the paper's, or one of the Table 3 ablations.</summary>
public enum DeformationVariant
{
    /// <summary>Cross-modal Facial Deformation Field (Sec. 3.2, Eq. 3-4): Δx = Deform(x, a_dri, F_cm).</summary>
    CrossModal,

    /// <summary>"w/o Deform": no deformation; the audio feature is concatenated to the tri-plane features instead.</summary>
    None,

    /// <summary>"Naive Deform": Δx predicted from the point and the audio feature only (no visual prior).</summary>
    Naive,

    /// <summary>"Feat-Concatenate Deform": visual features concatenated to the audio instead of cross-attention.</summary>
    FeatureConcatenate,
}

/// <summary>
/// Sizes of S3D-NeRF. Two named presets: <see cref="Tiny"/> (runs on a 2-core CPU) and <see cref="Paper"/> (GPU);
/// every field can be overridden with <c>with</c>. Coordinates follow one convention throughout the model: poses
/// are 4x4 camera-to-world matrices in the head-centred world frame (the head's centre at the origin, the head
/// inside the cube [-<see cref="HeadExtent"/>, <see cref="HeadExtent"/>]³), OpenCV camera axes (x right, y down,
/// z forward), intrinsics as focal length in units of the image width.
/// </summary>
public sealed record S3DNeRFConfig
{
    /// <summary>Name of the preset this config started from (recorded in checkpoints).</summary>
    public string Preset { get; init; } = "custom";

    // ---- images
    /// <summary>Side of the square source portrait and of the output frame, in pixels.</summary>
    public int ImageSize { get; init; } = 128;

    /// <summary>Side of the coarse NeRF render of the inner face (before super-resolution), in pixels.</summary>
    public int RenderSize { get; init; } = 64;

    // ---- hierarchical appearance encoder (Sec. 3.1, Eq. 1)
    /// <summary>Channels of D^0..D^{L-1}; the level count L is the length (the paper uses 4 levels).</summary>
    public int[] EncoderChannels { get; init; } = [32, 64, 96];

    /// <summary>C^i: channels of each of the three planes of every level (the level map has 3·C^i channels).</summary>
    public int PlaneChannels { get; init; } = 16;

    // ---- cross-modal deformation field (Sec. 3.2, Eq. 3-4)
    /// <summary>H_s = W_s: the grid every level is resized to before slot attention.</summary>
    public int SlotGrid { get; init; } = 8;

    public int SlotCount { get; init; } = 8;
    public int SlotDim { get; init; } = 64;
    public int SlotIterations { get; init; } = 3;

    /// <summary>Input dimension of one audio feature frame: 768 for wav2vec2-base, 80 for log-mel.</summary>
    public int AudioFeatureDim { get; init; } = 80;

    /// <summary>Audio feature frames in one window (16 = 320 ms at 50 Hz features, 2 per 25 fps video frame).</summary>
    public int AudioWindow { get; init; } = 16;

    /// <summary>Channels of the driving audio feature a_dri.</summary>
    public int AudioDim { get; init; } = 64;

    public int AttentionHeads { get; init; } = 4;

    /// <summary>d of Eq. 3 (total over heads).</summary>
    public int AttentionDim { get; init; } = 64;

    /// <summary>Width of the U-Net-like deformation network.</summary>
    public int DeformHidden { get; init; } = 64;

    public DeformationVariant Deformation { get; init; } = DeformationVariant.CrossModal;

    // ---- tri-plane decoder and volume rendering (Sec. 3.3, Eq. 5)
    public int DecoderHidden { get; init; } = 32;

    /// <summary>Feature channels rendered beside RGB for the super-resolution module.</summary>
    public int RenderFeatureChannels { get; init; } = 13;

    public int CoarseSamples { get; init; } = 12;
    public int ImportanceSamples { get; init; } = 12;

    /// <summary>Half side of the cube around the head that the tri-planes cover (world units).</summary>
    public float HeadExtent { get; init; } = 0.5f;

    /// <summary>Camera distance from the head centre of the default (frontal) pose.</summary>
    public float CameraDistance { get; init; } = 1.5f;

    /// <summary>Focal length in units of the image width (1.5 ≈ 37° horizontal field of view).</summary>
    public float FocalLength { get; init; } = 1.5f;

    // ---- super-resolution (Sec. 3.3) and discriminators (Sec. 3.4, 3.5)
    public int SuperResolutionChannels { get; init; } = 32;

    /// <summary>T: frames of the lower face the lip-sync discriminator sees at once.</summary>
    public int LipSyncFrames { get; init; } = 5;

    public int LipSyncEmbedding { get; init; } = 128;
    public int DiscriminatorChannels { get; init; } = 32;

    // ---- loss weights (Eq. 9)
    public float PerceptualWeight { get; init; } = 0.01f;
    public float AdversarialWeight { get; init; } = 1f;
    public float SyncWeight { get; init; } = 0.5f;
    public float DeformWeight { get; init; } = 0.001f;

    /// <summary>"w/o Lip Sync" ablation when false.</summary>
    public bool UseLipSyncLoss { get; init; } = true;

    /// <summary>
    /// Runs on this project's 2-core CPU: 128x128 frames from a 32x32 render with 8 + 8 samples per ray (16,384 field
    /// points a frame). The 64x64 render with 12 + 12 samples that the field defaults give (98,304 points) took about
    /// 0.4 s a frame on one core; this preset's render is about 6x cheaper (see the Model benchmark).
    /// </summary>
    public static S3DNeRFConfig Tiny { get; } = new() { Preset = "tiny", RenderSize = 32, CoarseSamples = 8, ImportanceSamples = 8 };

    /// <summary>The paper's scale: 256x256 frames, 4-level FPN (GPU).</summary>
    public static S3DNeRFConfig Paper { get; } = new()
    {
        Preset = "paper",
        ImageSize = 256,
        RenderSize = 128,
        EncoderChannels = [64, 128, 256, 256],
        PlaneChannels = 32,
        SlotGrid = 16,
        SlotCount = 16,
        SlotDim = 128,
        AudioFeatureDim = 768,
        AudioDim = 128,
        AttentionHeads = 8,
        AttentionDim = 128,
        DeformHidden = 128,
        DecoderHidden = 64,
        RenderFeatureChannels = 29,
        CoarseSamples = 24,
        ImportanceSamples = 24,
        SuperResolutionChannels = 64,
        LipSyncEmbedding = 256,
        DiscriminatorChannels = 64,
    };

    public static S3DNeRFConfig FromPreset(string name) => name.ToLowerInvariant() switch
    {
        "tiny" => Tiny,
        "paper" => Paper,
        _ => throw new ArgumentException($"unknown preset '{name}': expected 'tiny' or 'paper'", nameof(name)),
    };

    /// <summary>Levels of the appearance pyramid.</summary>
    public int Levels => EncoderChannels.Length;

    /// <summary>Every problem with this config, each saying what to change; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Require(bool condition, string message)
        {
            if (!condition) errors.Add(message);
        }

        Require(ImageSize is >= 32 and <= 1024 && ImageSize % 16 == 0, $"ImageSize {ImageSize} must be a multiple of 16 in [32, 1024]");
        Require(RenderSize >= 8 && RenderSize <= ImageSize && ImageSize % RenderSize == 0, $"RenderSize {RenderSize} must divide ImageSize {ImageSize} and be at least 8");
        Require(EncoderChannels.Length is >= 2 and <= 5, $"EncoderChannels has {EncoderChannels.Length} levels; use 2 to 5");
        Require(EncoderChannels.All(c => c > 0), "EncoderChannels must all be positive");
        Require(ImageSize >> EncoderChannels.Length >= SlotGrid / 2, $"{EncoderChannels.Length} levels downsample {ImageSize} below the slot grid {SlotGrid}");
        Require(PlaneChannels > 0, "PlaneChannels must be positive");
        Require(SlotGrid > 0 && SlotCount > 0 && SlotDim > 0 && SlotIterations > 0, "slot attention sizes must be positive");
        Require(AudioFeatureDim > 0 && AudioWindow >= 4 && AudioDim > 0, "AudioFeatureDim, AudioDim must be positive and AudioWindow at least 4");
        Require(AttentionHeads > 0 && AttentionDim % AttentionHeads == 0, $"AttentionDim {AttentionDim} must be divisible by AttentionHeads {AttentionHeads}");
        Require(DeformHidden > 0 && DecoderHidden > 0 && RenderFeatureChannels >= 0, "network widths must be positive");
        Require(CoarseSamples >= 2 && ImportanceSamples >= 0, "CoarseSamples must be at least 2 and ImportanceSamples non-negative");
        Require(HeadExtent > 0 && CameraDistance > HeadExtent * 1.5f, $"CameraDistance {CameraDistance} must be well outside the head cube (extent {HeadExtent})");
        Require(FocalLength > 0, "FocalLength must be positive");
        Require(SuperResolutionChannels > 0 && LipSyncFrames >= 1 && LipSyncEmbedding > 0 && DiscriminatorChannels > 0, "discriminator and super-resolution sizes must be positive");
        Require(PerceptualWeight >= 0 && AdversarialWeight >= 0 && SyncWeight >= 0 && DeformWeight >= 0, "loss weights must be non-negative");
        return errors;
    }

    /// <summary>Throws with every problem listed when the config is invalid.</summary>
    public S3DNeRFConfig EnsureValid()
    {
        var errors = Validate();
        if (errors.Count > 0) throw new ArgumentException($"invalid S3D-NeRF config ({Preset}): {string.Join("; ", errors)}");
        return this;
    }
}
