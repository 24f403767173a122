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
/// <param name="FinalLoss">Mean matching loss over the last 50 steps (chance: ln(1 + Negatives), e.g. 1.609 for 4).</param>
public sealed record SyncTrainingResult(SyncNetwork Network, int HeldOutClips, double HeldOutWithinOneFrame, double HeldOutConfidence, bool DisjointIdentities, double FinalLoss);

/// <summary>
/// Trains a <see cref="SyncNetwork"/> with the multi-way matching of SyncNet's successor (Chung, Chung and Zisserman,
/// "Perfect match: improved cross-modal embeddings for audio-visual synchronisation", ICASSP 2019, Sec. 2.2): every video
/// window is scored against the audio of the same 0.2 s and <see cref="SyncTrainingOptions.Negatives"/> audio windows of
/// the same clip shifted by <see cref="SyncTrainingOptions.MinFalseShift"/> … <see cref="SyncTrainingOptions.MaxFalseShift"/>
/// frames (either direction); the loss is the cross-entropy of a softmax over cos(v, a) / τ that picks the aligned one.
/// Trains on the training identities of <see cref="IdentitySplit"/> and scores the held-out ones.
/// <para>
/// Why not SyncNet's contrastive loss y·d² + (1 − y)·max(margin − d, 0)² on independent pairs: on unit embeddings with
/// margin 1 it has a flat plateau at d = 0.5 for every pair (loss 0.25) where the pulls on genuine and false pairs cancel,
/// and on the synthetic corpora the network never left it (confidence 0.04 after 2000 steps). The matching loss
/// compares candidates that share the video window and the clip, so only the audio-visual correspondence can lower it
/// (speaker, lighting and loudness are the same for all candidates), and it keeps a gradient until the aligned audio wins.
/// This is also the comparison the offset search makes (<see cref="SyncOffsetEstimator"/>).
/// </para>
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
        const int plane = SyncNetwork.CropHeight * SyncNetwork.CropWidth;
        const int videoSize = SyncNetwork.Frames * plane;
        var audioSize = SyncNetwork.AudioRows * featureDim;
        var candidates = options.Negatives + 1;
        var recent = new Queue<double>();
        // Crops of every frame seen, computed once: sampling them is most of a step's CPU time otherwise.
        var crops = new Dictionary<(string Clip, int Frame), float[]>();
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = options.BatchSize;
            var video = new float[n * videoSize];
            var audio = new float[n * candidates * audioSize];
            for (var k = 0; k < n; k++)
            {
                var clip = usable[random.Next(usable.Length)];
                var start = random.Next(clip.FrameCount - SyncNetwork.Frames + 1);
                var window = video.AsSpan(k * videoSize, videoSize);
                for (var f = 0; f < SyncNetwork.Frames; f++)
                {
                    if (!crops.TryGetValue((clip.Id, start + f), out var crop))
                    {
                        crops[(clip.Id, start + f)] = crop = SyncNetwork.LowerFaceCrop(sampler.Frame(clip, start + f), sampler.Landmarks(clip, start + f));
                    }
                    crop.CopyTo(window.Slice(f * plane, plane));
                }
                SyncNetwork.Standardise(window);
                var features = sampler.Features(clip);
                // Candidate 0 is the aligned audio, the rest are false.
                for (var j = 0; j < candidates; j++)
                {
                    var audioStart = start;
                    if (j > 0)
                    {
                        var magnitude = random.Next(options.MinFalseShift, options.MaxFalseShift + 1);
                        var shift = random.Next(2) == 0 ? -magnitude : magnitude;
                        // Keep the shifted window inside the clip where possible (reflect the shift); else audio past the ends is silence, still false.
                        if (start + shift < 0 || start + shift > clip.FrameCount - SyncNetwork.Frames) shift = -shift;
                        audioStart = start + shift;
                    }
                    SyncNetwork.AudioInput(features, audioStart).CopyTo(audio, (k * candidates + j) * audioSize);
                }
            }
            double loss;
            using (NewDisposeScope())
            {
                var v = tensor(video, [n, SyncNetwork.Frames, SyncNetwork.CropHeight, SyncNetwork.CropWidth]).to(device);
                var a = tensor(audio, [n * candidates, SyncNetwork.AudioRows, featureDim]).to(device);
                optimizer.zero_grad();
                var ve = network.EmbedVideo(v);
                var ae = network.EmbedAudio(a).reshape(n, candidates, network.EmbeddingDim);
                // Unit embeddings: the dot product is the cosine, and d² = 2 − 2·cos ranks the candidates the same way.
                var logits = (ae * ve.unsqueeze(1)).sum(2) / options.Temperature;
                var l = -logits.log_softmax(1).select(1, 0).mean();
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
        network.Metadata["negatives"] = options.Negatives.ToString(invariant);
        network.Metadata["temperature"] = options.Temperature.ToString("R", invariant);
        return new SyncTrainingResult(network, heldOut.Length, fraction, meanConfidence, split.IsDisjoint, recent.Average());
    }
}
