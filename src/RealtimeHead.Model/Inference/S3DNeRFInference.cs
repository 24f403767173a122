using RealtimeHead.Rendering;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Inference;

/// <summary>
/// The streaming inference path of S3D-NeRF: <see cref="Encode"/> runs the portrait-only parts once (Sec. 3.1 encoder,
/// Sec. 3.2 F_agg, the super-resolution source branch) and <see cref="Render"/> renders batches of frames whose items may
/// belong to different portraits, under no_grad and in eval mode (no sample jitter), so a frame equals the training
/// forward of the same inputs in eval mode. Per frame only the audio encoder, the cross-attention (Eq. 3), the
/// per-point field (Eq. 2, 4, decoder), volume rendering (Eq. 5) and the super-resolution trunk run.
/// <para>
/// Buffer reuse: the batch-concatenated portrait features of the last batch (per quality rung) are kept and reused while
/// the same portraits come in the same order, which is the steady state of a render loop serving fixed sessions.
/// Not thread-safe: one render thread per instance (as <see cref="ITalkingHeadRenderer"/> requires).
/// </para>
/// <para>
/// Device: everything runs on the model's <see cref="S3DNeRF.Device"/> (see <see cref="S3DNeRF.Place"/>). Inputs may be
/// CPU tensors: a portrait is moved once per <see cref="Encode"/>, the audio windows and poses of a batch once per
/// <see cref="Render"/> (stacked first); the cached encodings stay on the device, and the frames of a batch come back to
/// the CPU as fp32 in one copy.
/// </para>
/// </summary>
public sealed class S3DNeRFInference : IDisposable
{
    private readonly bool _ownsModel;
    private readonly Dictionary<RenderQuality, (PortraitEncoding[] Portraits, PortraitFeatures Features)> _batchCache = new();
    private bool _disposed;
    private long _maxPointsPerChunk = 1 << 18;

    /// <param name="model">The model; switched to eval mode.</param>
    /// <param name="ownsModel">Dispose the model with this instance.</param>
    public S3DNeRFInference(S3DNeRF model, bool ownsModel = false)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        _ownsModel = ownsModel;
        model.eval();
    }

    public S3DNeRF Model { get; }

    public S3DNeRFConfig Config => Model.Config;

    /// <summary>The model's device.</summary>
    public Device Device => Model.Device;

    /// <summary>
    /// Most field points evaluated in one call (bounds the activations a large batch keeps alive); default 2^18 = 262,144
    /// (2.7 Tiny frames, 0.33 Paper frames). Chunks are whole rays; the image does not depend on it. At least 1.
    /// </summary>
    public long MaxPointsPerChunk
    {
        get => _maxPointsPerChunk;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxPointsPerChunk = value;
        }
    }

    /// <summary>
    /// portrait [1, 3, S, S] in [-1, 1] and P_src [1, 4, 4] (or [4, 4]; null = the config's frontal camera) → the cached
    /// encoding (dispose it when the session ends).
    /// </summary>
    public PortraitEncoding Encode(Tensor portrait, Tensor? sourcePose = null, string portraitId = "")
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(portrait);
        S3DNeRFInputs.ValidateImage(Config, portrait, nameof(portrait));
        if (portrait.size(0) != 1) throw new ArgumentException($"encode one portrait at a time: got a batch of {portrait.size(0)}", nameof(portrait));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pose = sourcePose is null ? Camera.HeadPose.Frontal(Config) : sourcePose.Dimensions == 2 ? sourcePose.unsqueeze(0) : sourcePose;
        var features = Model.EncodePortrait(portrait, pose);
        Detach(features);
        return new PortraitEncoding(portraitId, features, this);
    }

    /// <summary>
    /// Renders every request: → frames [B, 3, S, S] in [-1, 1], fp32 on the CPU, in request order. Requests are grouped by
    /// quality; each group is one batched render.
    /// </summary>
    public Tensor Render(IReadOnlyList<FrameRequest> batch)
    {
        using var scope = NewDisposeScope();
        return RenderOnDevice(batch).to(ScalarType.Float32, CPU).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <see cref="Render"/> without the copy back: frames [B, 3, S, S] in [-1, 1], fp32 on <see cref="Device"/> (for a caller
    /// that converts them further there, e.g. to bytes, before its one copy to the CPU).
    /// </summary>
    public Tensor RenderOnDevice(IReadOnlyList<FrameRequest> batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0) throw new ArgumentException("the batch is empty", nameof(batch));
        for (var i = 0; i < batch.Count; i++) ValidateRequest(batch[i], i);

        // Eval mode: no sample jitter (someone may have switched the shared model to training since).
        if (Model.training) Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var frames = new Tensor[batch.Count];
        foreach (var group in Enumerable.Range(0, batch.Count).GroupBy(i => batch[i].Quality))
        {
            var indices = group.ToArray();
            var rendered = RenderGroup(indices.Select(i => batch[i]).ToArray(), group.Key);
            for (var k = 0; k < indices.Length; k++) frames[indices[k]] = rendered.narrow(0, k, 1);
        }
        return cat(frames, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Requests of one quality, [n] → frames [n, 3, S, S].</summary>
    private Tensor RenderGroup(FrameRequest[] requests, RenderQuality quality)
    {
        using var scope = NewDisposeScope();
        var portrait = BatchFeatures(requests, quality);
        var audio = stack(requests.Select(r => r.AudioWindow.Dimensions == 3 ? r.AudioWindow.squeeze(0) : r.AudioWindow).ToArray(), 0).to(ScalarType.Float32);
        var poses = stack(requests.Select(r => r.TargetPose.Dimensions == 3 ? r.TargetPose.squeeze(0) : r.TargetPose).ToArray(), 0).to(ScalarType.Float32);
        using var conditioning = Model.Condition(portrait, audio);
        using var output = quality switch
        {
            RenderQuality.Full => Model.Render(portrait, conditioning, poses, maxPointsPerChunk: _maxPointsPerChunk),
            RenderQuality.NoSuperResolution => Model.Render(portrait, conditioning, poses, superResolve: false, maxPointsPerChunk: _maxPointsPerChunk),
            _ => Model.Render(portrait, conditioning, poses, superResolve: false, halfResolution: true, maxPointsPerChunk: _maxPointsPerChunk),
        };
        var frames = output.Fine ?? Model.UpsampleCoarse(output.Coarse);
        return frames.alias().MoveToOuterDisposeScope();
    }

    /// <summary>The portraits of a group concatenated along the batch, reused while the same portraits repeat.</summary>
    private PortraitFeatures BatchFeatures(FrameRequest[] requests, RenderQuality quality)
    {
        var portraits = requests.Select(r => r.Portrait).ToArray();
        if (portraits.Length == 1) return portraits[0].Features;
        if (_batchCache.TryGetValue(quality, out var cached) && cached.Portraits.SequenceEqual(portraits, ReferenceEqualityComparer.Instance))
        {
            return cached.Features;
        }
        if (_batchCache.Remove(quality, out var stale)) stale.Features.Dispose();
        using var scope = NewDisposeScope();
        var features = PortraitFeatures.Concat(portraits.Select(p => p.Features).ToArray());
        Detach(features);
        _batchCache[quality] = (portraits, features);
        return features;
    }

    private void ValidateRequest(FrameRequest request, int index)
    {
        ArgumentNullException.ThrowIfNull(request, $"batch[{index}]");
        if (request.Portrait is null) throw new ArgumentException($"batch[{index}] has no portrait", nameof(request));
        if (request.Portrait.IsDisposed) throw new ObjectDisposedException($"batch[{index}].Portrait", $"the encoding of portrait '{request.Portrait.PortraitId}' was disposed");
        if (!ReferenceEquals(request.Portrait.Owner, this)) throw new ArgumentException($"batch[{index}]: portrait '{request.Portrait.PortraitId}' was encoded by another model", nameof(request));
        var audio = request.AudioWindow ?? throw new ArgumentException($"batch[{index}] has no audio window", nameof(request));
        var audioShape = audio.shape;
        var window = audioShape.Length == 3 && audioShape[0] == 1 ? audioShape[1..] : audioShape;
        if (window.Length != 2 || window[0] != Config.AudioWindow || window[1] != Config.AudioFeatureDim)
        {
            throw new ArgumentException($"batch[{index}]: the audio window must be [{Config.AudioWindow}, {Config.AudioFeatureDim}], got {S3DNeRFInputs.Describe(audioShape)}", nameof(request));
        }
        using (NewDisposeScope())
        {
            if (!audio.isfinite().all().item<bool>()) throw new ArgumentException($"batch[{index}]: the audio window contains NaN or infinite values", nameof(request));
        }
        var pose = request.TargetPose ?? throw new ArgumentException($"batch[{index}] has no target pose", nameof(request));
        var poseShape = pose.shape;
        var matrix = poseShape.Length == 3 && poseShape[0] == 1 ? poseShape[1..] : poseShape;
        if (matrix.Length != 2 || matrix[0] != 4 || matrix[1] != 4)
        {
            throw new ArgumentException($"batch[{index}]: the target pose must be a 4x4 matrix, got {S3DNeRFInputs.Describe(poseShape)}", nameof(request));
        }
    }

    /// <summary>Takes the features out of every dispose scope: the caller owns them now.</summary>
    private static void Detach(PortraitFeatures features)
    {
        foreach (var plane in features.Planes) plane.DetachFromDisposeScope();
        features.Aggregated?.DetachFromDisposeScope();
        features.SuperResolutionSource.DetachFromDisposeScope();
        features.SourcePose.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, features) in _batchCache.Values) features.Dispose();
        _batchCache.Clear();
        if (_ownsModel) Model.Dispose();
    }
}
