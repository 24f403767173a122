using System.Globalization;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Evaluation.Data;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Evaluation.Sync;

/// <summary>The result of <see cref="SyncTraining.Train"/>.</summary>
/// <param name="Network">The trained network (eval mode), its metadata filled in.</param>
/// <param name="HeldOutClips">Held-out clips scored.</param>
/// <param name="HeldOutWithinOneFrame">Fraction of them whose estimated offset is within ±1 frame of 0 (their audio is in sync).</param>
/// <param name="HeldOutConfidence">Mean sync confidence of the held-out ground truth.</param>
/// <param name="DisjointIdentities">False when the corpus had one identity.</param>
/// <param name="FinalLoss">Mean contrastive loss over the last 50 steps.</param>
public sealed record SyncTrainingResult(SyncNetwork Network, int HeldOutClips, double HeldOutWithinOneFrame, double HeldOutConfidence, bool DisjointIdentities, double FinalLoss);

/// <summary>
/// Trains a <see cref="SyncNetwork"/> as SyncNet was trained (Chung and Zisserman 2016, Sec. 3.2): genuine pairs are the
/// video and audio of the same 0.2 s; false pairs take the audio of the same clip shifted by
/// <see cref="SyncTrainingOptions.MinFalseShift"/> … <see cref="SyncTrainingOptions.MaxFalseShift"/> frames (either
/// direction); the contrastive loss is y·d² + (1 − y)·max(margin − d, 0)², d the Euclidean distance of the embeddings.
/// Trains on the training identities of <see cref="IdentitySplit"/> and scores the held-out ones.
/// </summary>
public static class SyncTraining
{
    public static SyncTrainingResult Train(CorpusReader reader, SyncTrainingOptions options, Device? device = null, IProgress<(int Step, double Loss)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        device ??= CPU;
        var split = IdentitySplit.Of(reader.Manifest);
        var usable = split.Training.Where(c => c.FrameCount >= SyncNetwork.Frames).ToArray();
        if (usable.Length == 0) throw new ArgumentException($"no training clip has the {SyncNetwork.Frames} frames a sync window needs", nameof(reader));
        var sampler = new FrameSampler(reader, usable);
        var random = new Random(options.Seed);
        manual_seed(options.Seed);
        var featureDim = sampler.Features(usable[0]).FeatureDim;
        var network = new SyncNetwork(featureDim);
        network.to(device);
        network.train();
        using var optimizer = optim.Adam(network.parameters(), options.LearningRate);
        const int videoSize = SyncNetwork.Frames * SyncNetwork.CropHeight * SyncNetwork.CropWidth;
        var audioSize = SyncNetwork.AudioRows * featureDim;
        var recent = new Queue<double>();
        var landmarkCache = new Dictionary<string, IReadOnlyList<double[]>>();
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = options.BatchSize;
            var video = new float[n * videoSize];
            var audio = new float[n * audioSize];
            var labels = new float[n];
            for (var k = 0; k < n; k++)
            {
                var clip = usable[random.Next(usable.Length)];
                var start = random.Next(clip.FrameCount - SyncNetwork.Frames + 1);
                var genuine = k % 2 == 0;
                var audioStart = start;
                if (!genuine)
                {
                    var magnitude = random.Next(options.MinFalseShift, options.MaxFalseShift + 1);
                    var shift = random.Next(2) == 0 ? -magnitude : magnitude;
                    // Keep the shifted window inside the clip where possible (reflect the shift); else audio past the ends is silence, still a false pair.
                    if (start + shift < 0 || start + shift > clip.FrameCount - SyncNetwork.Frames) shift = -shift;
                    audioStart = start + shift;
                }
                labels[k] = genuine ? 1 : 0;
                if (!landmarkCache.TryGetValue(clip.Id, out var landmarks))
                {
                    landmarkCache[clip.Id] = landmarks = Enumerable.Range(0, clip.FrameCount).Select(i => sampler.Landmarks(clip, i)).ToArray();
                }
                var frames = new FrameList(sampler, clip);
                SyncNetwork.VideoInput(frames, landmarks, start).CopyTo(video, k * videoSize);
                SyncNetwork.AudioInput(sampler.Features(clip), audioStart).CopyTo(audio, k * audioSize);
            }
            double loss;
            using (NewDisposeScope())
            {
                var v = tensor(video, [n, SyncNetwork.Frames, SyncNetwork.CropHeight, SyncNetwork.CropWidth]).to(device);
                var a = tensor(audio, [n, SyncNetwork.AudioRows, featureDim]).to(device);
                var y = tensor(labels, [n]).to(device);
                optimizer.zero_grad();
                var (ve, ae) = network.forward(v, a);
                var d = ((ve - ae).pow(2).sum(1) + 1e-12).sqrt();
                var l = (y * d.pow(2) + (1 - y) * (options.Margin - d).clamp(min: 0).pow(2)).mean();
                l.backward();
                optimizer.step();
                loss = l.item<float>();
            }
            recent.Enqueue(loss);
            if (recent.Count > 50) recent.Dequeue();
            progress?.Report((step, loss));
        }
        network.eval();

        var heldOut = split.HeldOut.Where(c => c.FrameCount >= SyncNetwork.Frames).ToArray();
        var within = 0;
        double confidence = 0;
        foreach (var clip in heldOut)
        {
            var data = ClipData.Load(reader, clip);
            var (v, a) = network.EmbedClip(data.Frames, data.Landmarks, data.Features, device);
            var score = SyncOffsetEstimator.Estimate(v, a);
            if (Math.Abs(score.Offset) <= 1) within++;
            confidence += score.Confidence;
        }
        var fraction = heldOut.Length == 0 ? double.NaN : (double)within / heldOut.Length;
        var meanConfidence = heldOut.Length == 0 ? double.NaN : confidence / heldOut.Length;
        var invariant = CultureInfo.InvariantCulture;
        network.Metadata["heldOutClips"] = heldOut.Length.ToString(invariant);
        network.Metadata["heldOutWithinOneFrame"] = fraction.ToString("R", invariant);
        network.Metadata["heldOutConfidence"] = meanConfidence.ToString("R", invariant);
        network.Metadata["disjointIdentities"] = split.IsDisjoint ? "true" : "false";
        network.Metadata["steps"] = options.Steps.ToString(invariant);
        network.Metadata["seed"] = options.Seed.ToString(invariant);
        return new SyncTrainingResult(network, heldOut.Length, fraction, meanConfidence, split.IsDisjoint, recent.Average());
    }

    /// <summary>The frames of one clip, decoded on access through the sampler's cache.</summary>
    private sealed class FrameList(FrameSampler sampler, ClipEntry clip) : IReadOnlyList<RealtimeHead.Imaging.RgbImage>
    {
        public RealtimeHead.Imaging.RgbImage this[int index] => sampler.Frame(clip, index);

        public int Count => clip.FrameCount;

        public IEnumerator<RealtimeHead.Imaging.RgbImage> GetEnumerator()
        {
            for (var i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
