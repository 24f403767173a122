using System.Globalization;
using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Imaging;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Evaluation.Sync;

/// <summary>
/// The evaluation sync network, in the manner of SyncNet (Chung and Zisserman, "Out of time: automated lip sync in the
/// wild", ACCV workshops 2016): two streams map 0.2 s of video and 0.2 s of audio to embeddings whose Euclidean distance is
/// small when they are in sync. Trained with the multi-way matching loss of SyncNet's successor (<see cref="SyncTraining"/>),
/// separately from the generator's lip-sync discriminator (another seed, identities held out from it), so the score is
/// not the quantity the generator was trained to please.
/// <para>
/// Video stream: <see cref="Frames"/> = 5 consecutive lower-face crops (<see cref="FaceBoxes.LowerFace"/>), grayscale,
/// <see cref="CropHeight"/> × <see cref="CropWidth"/>, stacked on channels as SyncNet's early fusion does:
/// [B, 5, 32, 48], standardised per window (zero mean, unit deviation over its 5 crops, so skin tone and lighting do not
/// dominate the first layer) → 2-D convs → [B, E]. Audio stream: the 10 log-mel rows of the same 0.2 s
/// (<see cref="ClipAudioFeatures"/>, 2 per frame; SyncNet used 13 MFCCs at 100 Hz) [B, 10, 80] → fixed affine to unit
/// scale → 1-D convs over time → [B, E]. Simplification: embeddings are L2-normalised (SyncNet's are not) so distances
/// stay in [0, 2] (d² = 2 − 2·cos) and confidences are comparable between networks.
/// </para>
/// </summary>
public sealed class SyncNetwork : nn.Module<Tensor, Tensor, (Tensor video, Tensor audio)>
{
    public const string FormatName = "realtimehead-eval-syncnet/2";
    public const int Frames = 5;
    public const int AudioRows = Frames * ClipAudioFeatures.RowsPerVideoFrame;
    public const int CropHeight = 32;
    public const int CropWidth = 48;
    private const double Slope = 0.2;

    private readonly Sequential _video;
    private readonly Linear _videoProjection;
    private readonly Sequential _audio;
    private readonly Linear _audioProjection;

    /// <param name="featureDim">Log-mel bins of the audio rows (80).</param>
    /// <param name="embedding">E (default 128).</param>
    /// <param name="channels">C, the first conv width (default 32).</param>
    public SyncNetwork(int featureDim = 80, int embedding = 128, int channels = 32) : base(nameof(SyncNetwork))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(embedding, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 4);
        FeatureDim = featureDim;
        EmbeddingDim = embedding;
        Channels = channels;
        var c = channels;
        // 32x48 → 16x24 → 8x12 → 4x6, then global pooling.
        _video = nn.Sequential(
            nn.Conv2d(Frames, c, 3, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv2d(c, 2 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv2d(2 * c, 4 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv2d(4 * c, 4 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope));
        _videoProjection = nn.Linear(4 * c, embedding);
        // 10 rows → 5 → 3, then global pooling.
        _audio = nn.Sequential(
            nn.Conv1d(featureDim, 2 * c, 3, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv1d(2 * c, 4 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv1d(4 * c, 4 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope));
        _audioProjection = nn.Linear(4 * c, embedding);
        RegisterComponents();
    }

    public int FeatureDim { get; }

    public int EmbeddingDim { get; }

    public int Channels { get; }

    /// <summary>Metadata of the file it was loaded from, or set before saving.</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>Video stream: [B, 5, 32, 48] standardised windows (<see cref="VideoInput"/>) → [B, E], unit norm.</summary>
    public Tensor EmbedVideo(Tensor crops)
    {
        var shape = crops.shape;
        if (shape.Length != 4 || shape[1] != Frames || shape[2] != CropHeight || shape[3] != CropWidth)
        {
            throw new ArgumentException($"crops must be [B, {Frames}, {CropHeight}, {CropWidth}], got [{string.Join(", ", shape)}]", nameof(crops));
        }
        using var scope = NewDisposeScope();
        var pooled = _video.forward(crops).mean([2L, 3L]);
        return F.normalize(_videoProjection.forward(pooled), dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>Audio stream: [B, 10, D] log-mel rows → [B, E], unit norm.</summary>
    public Tensor EmbedAudio(Tensor rows)
    {
        var shape = rows.shape;
        if (shape.Length != 3 || shape[1] != AudioRows || shape[2] != FeatureDim)
        {
            throw new ArgumentException($"audio must be [B, {AudioRows}, {FeatureDim}], got [{string.Join(", ", shape)}]", nameof(rows));
        }
        using var scope = NewDisposeScope();
        // Log-mel values sit around -23 (silence) … 5; a fixed affine keeps the first layer's inputs near unit scale.
        var pooled = _audio.forward(((rows + 8) / 8).transpose(1, 2)).mean(2);
        return F.normalize(_audioProjection.forward(pooled), dim: 1).MoveToOuterDisposeScope();
    }

    public override (Tensor video, Tensor audio) forward(Tensor crops, Tensor rows) => (EmbedVideo(crops), EmbedAudio(rows));

    /// <summary>
    /// The video input of the window of frames [start, start + 5): lower-face crops, gray, the window standardised to zero
    /// mean and unit deviation; frames before 0 or after the end repeat the edge.
    /// </summary>
    public static float[] VideoInput(IReadOnlyList<RgbImage> frames, IReadOnlyList<double[]> landmarks, int start)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(landmarks);
        const int plane = CropHeight * CropWidth;
        var values = new float[Frames * plane];
        for (var f = 0; f < Frames; f++)
        {
            var index = Math.Clamp(start + f, 0, frames.Count - 1);
            LowerFaceCrop(frames[index], landmarks[index]).CopyTo(values, f * plane);
        }
        Standardise(values);
        return values;
    }

    /// <summary>One frame's lower-face crop: gray in [0, 1], <see cref="CropHeight"/> × <see cref="CropWidth"/> row-major.</summary>
    internal static float[] LowerFaceCrop(RgbImage frame, double[] landmarks) =>
        ImageOps.Sample(frame, FaceBoxes.LowerFace(landmarks), CropWidth, CropHeight, gray: true);

    /// <summary>
    /// Zero mean, unit deviation over the whole window in place. Per window rather than per corpus: a held-out identity's
    /// skin and lighting then look like the training ones, and only the mouth's shape and motion are left to learn.
    /// A flat window (deviation under 1e-3) is only centred.
    /// </summary>
    internal static void Standardise(Span<float> window)
    {
        double sum = 0, squares = 0;
        foreach (var x in window)
        {
            sum += x;
            squares += (double)x * x;
        }
        var mean = sum / window.Length;
        var deviation = Math.Sqrt(Math.Max(squares / window.Length - mean * mean, 0));
        var scale = deviation < 1e-3 ? 1 : 1 / deviation;
        for (var i = 0; i < window.Length; i++) window[i] = (float)((window[i] - mean) * scale);
    }

    /// <summary>The audio input of the window of frames [start, start + 5): log-mel rows 2·start … 2·start + 9.</summary>
    public static float[] AudioInput(ClipAudioFeatures features, int start)
    {
        ArgumentNullException.ThrowIfNull(features);
        var values = new float[AudioRows * features.FeatureDim];
        features.CopyWindow(ClipAudioFeatures.RowsPerVideoFrame * start, AudioRows, values);
        return values;
    }

    /// <summary>
    /// Embeddings of every 5-frame window of a clip (starts 0 … N − 5): video [N − 4][E] and audio [N − 4][E]. A clip of
    /// fewer than 5 frames has no windows.
    /// </summary>
    public (float[][] Video, float[][] Audio) EmbedClip(IReadOnlyList<RgbImage> frames, IReadOnlyList<double[]> landmarks, ClipAudioFeatures features, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentNullException.ThrowIfNull(features);
        var windows = frames.Count - Frames + 1;
        if (windows < 1) return ([], []);
        if (features.FeatureDim != FeatureDim) throw new ArgumentException($"features have {features.FeatureDim} bins, the network takes {FeatureDim}", nameof(features));
        var video = new float[windows][];
        var audio = new float[windows][];
        const int batch = 64;
        for (var start = 0; start < windows; start += batch)
        {
            var n = Math.Min(batch, windows - start);
            var v = new float[n * Frames * CropHeight * CropWidth];
            var a = new float[n * AudioRows * FeatureDim];
            for (var k = 0; k < n; k++)
            {
                VideoInput(frames, landmarks, start + k).CopyTo(v, k * Frames * CropHeight * CropWidth);
                AudioInput(features, start + k).CopyTo(a, k * AudioRows * FeatureDim);
            }
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var vt = tensor(v, [n, Frames, CropHeight, CropWidth]);
            var at = tensor(a, [n, AudioRows, FeatureDim]);
            if (device is not null)
            {
                vt = vt.to(device);
                at = at.to(device);
            }
            var (ve, ae) = forward(vt, at);
            var vd = ve.cpu().data<float>();
            var ad = ae.cpu().data<float>();
            for (var k = 0; k < n; k++)
            {
                video[start + k] = vd.AsSpan(k * EmbeddingDim, EmbeddingDim).ToArray();
                audio[start + k] = ad.AsSpan(k * EmbeddingDim, EmbeddingDim).ToArray();
            }
        }
        return (video, audio);
    }

    public void Save(string path)
    {
        var invariant = CultureInfo.InvariantCulture;
        var metadata = new Dictionary<string, string>(Metadata)
        {
            ["format"] = FormatName,
            ["featureDim"] = FeatureDim.ToString(invariant),
            ["embedding"] = EmbeddingDim.ToString(invariant),
            ["channels"] = Channels.ToString(invariant),
        };
        this.save(path, metadata);
    }

    /// <exception cref="InvalidDataException">Not an evaluation sync network file.</exception>
    public static SyncNetwork Load(string path)
    {
        var header = SafeTensors.ReadHeader(path);
        var m = header.Metadata;
        int featureDim = 0, embedding = 0, channels = 0;
        var ok = m.TryGetValue("format", out var format) && format == FormatName
            && m.TryGetValue("featureDim", out var fd) && int.TryParse(fd, CultureInfo.InvariantCulture, out featureDim) && featureDim >= 1
            && m.TryGetValue("embedding", out var e) && int.TryParse(e, CultureInfo.InvariantCulture, out embedding) && embedding >= 2
            && m.TryGetValue("channels", out var c) && int.TryParse(c, CultureInfo.InvariantCulture, out channels) && channels >= 4;
        if (!ok) throw new InvalidDataException($"{path} is not an evaluation sync network ({FormatName}); train one with 'realtimehead eval train-sync'");
        var model = new SyncNetwork(featureDim, embedding, channels);
        model.load(path);
        foreach (var (key, value) in m) model.Metadata[key] = value;
        model.eval();
        return model;
    }
}
