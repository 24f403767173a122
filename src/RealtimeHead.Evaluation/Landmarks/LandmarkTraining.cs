using System.Globalization;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Evaluation.Metrics;
using RealtimeHead.Imaging;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Evaluation.Landmarks;

/// <summary>The result of <see cref="LandmarkTraining.Train"/>: the network and its own error.</summary>
/// <param name="Regressor">The trained network (eval mode); its <see cref="LandmarkRegressor.Metadata"/> records the errors.</param>
/// <param name="HeldOutFaceError">Mean distance over all 68 points, pixels at <see cref="Resolution"/>, on held-out identities.</param>
/// <param name="HeldOutMouthError">The same over the mouth points 48-67.</param>
/// <param name="HeldOutFrames">Frames the errors were measured on.</param>
/// <param name="Resolution">Side of the square frames the errors are in pixels of.</param>
/// <param name="DisjointIdentities">False when the corpus had one identity and the held-out set is the training set.</param>
/// <param name="FinalLoss">Mean training loss over the last 50 steps (MSE in crop fractions).</param>
public sealed record LandmarkTrainingResult(LandmarkRegressor Regressor, double HeldOutFaceError, double HeldOutMouthError, int HeldOutFrames,
    int Resolution, bool DisjointIdentities, double FinalLoss);

/// <summary>
/// Trains a <see cref="LandmarkRegressor"/> on the training identities of a corpus (<see cref="IdentitySplit"/>) with an
/// MSE loss on crop-fraction coordinates and jittered ground-truth face boxes, then measures its error on the held-out
/// identities.
/// </summary>
public static class LandmarkTraining
{
    public static LandmarkTrainingResult Train(CorpusReader reader, LandmarkTrainingOptions options, Device? device = null, IProgress<(int Step, double Loss)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        device ??= CPU;
        var split = IdentitySplit.Of(reader.Manifest);
        var sampler = new FrameSampler(reader, split.Training);
        var random = new Random(options.Seed);
        manual_seed(options.Seed);
        var model = new LandmarkRegressor();
        model.to(device);
        model.train();
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        const int crop = LandmarkRegressor.CropSize;
        var recent = new Queue<double>();
        for (var step = 1; step <= options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = options.BatchSize;
            var input = new float[n * 3 * crop * crop];
            var target = new float[n * LandmarkRegressor.Outputs];
            for (var k = 0; k < n; k++)
            {
                var clip = sampler.Clips[random.Next(sampler.Clips.Count)];
                var index = random.Next(clip.FrameCount);
                var landmarks = sampler.Landmarks(clip, index);
                var box = Jitter(FaceBoxes.Face(landmarks), options.BoxJitter, random);
                LandmarkRegressor.CropInput(sampler.Frame(clip, index), box).CopyTo(input, k * 3 * crop * crop);
                for (var p = 0; p < 68; p++)
                {
                    target[k * 136 + 2 * p] = (float)((landmarks[2 * p] - box.X0) / box.Width);
                    target[k * 136 + 2 * p + 1] = (float)((landmarks[2 * p + 1] - box.Y0) / box.Height);
                }
            }
            double loss;
            using (NewDisposeScope())
            {
                var x = tensor(input, [n, 3, crop, crop]).to(device);
                var y = tensor(target, [n, LandmarkRegressor.Outputs]).to(device);
                optimizer.zero_grad();
                var l = F.mse_loss(model.forward(x), y);
                l.backward();
                optimizer.step();
                loss = l.item<float>();
            }
            recent.Enqueue(loss);
            if (recent.Count > 50) recent.Dequeue();
            progress?.Report((step, loss));
        }
        model.eval();

        var (face, mouth, frames) = Measure(model, reader, split.HeldOut, options.ReportResolution, options.MaxReportFrames, device);
        var invariant = CultureInfo.InvariantCulture;
        model.Metadata["heldOutFaceError"] = face.ToString("R", invariant);
        model.Metadata["heldOutMouthError"] = mouth.ToString("R", invariant);
        model.Metadata["heldOutFrames"] = frames.ToString(invariant);
        model.Metadata["resolution"] = options.ReportResolution.ToString(invariant);
        model.Metadata["disjointIdentities"] = split.IsDisjoint ? "true" : "false";
        model.Metadata["steps"] = options.Steps.ToString(invariant);
        model.Metadata["seed"] = options.Seed.ToString(invariant);
        return new LandmarkTrainingResult(model, face, mouth, frames, options.ReportResolution, split.IsDisjoint, recent.Average());
    }

    /// <summary>
    /// Mean F- and M-distance of the regressor's landmarks to the ground truth on up to <paramref name="maxFrames"/> frames
    /// of <paramref name="clips"/> (evenly spread), frames resized to <paramref name="resolution"/>², in pixels there.
    /// </summary>
    public static (double Face, double Mouth, int Frames) Measure(LandmarkRegressor model, CorpusReader reader, IReadOnlyList<ClipEntry> clips, int resolution, int maxFrames,
        Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reader);
        var all = clips.SelectMany(c => Enumerable.Range(0, c.FrameCount).Select(i => (Clip: c, Index: i))).ToArray();
        if (all.Length == 0) return (double.NaN, double.NaN, 0);
        var stride = Math.Max(1, (int)Math.Ceiling(all.Length / (double)maxFrames));
        var chosen = all.Where((_, i) => i % stride == 0).ToArray();
        var sampler = new FrameSampler(reader, clips, cacheFrames: 0);
        var faces = new List<(RgbImage, PixelBox)>(chosen.Length);
        var truth = new List<double[]>(chosen.Length);
        foreach (var (clip, index) in chosen)
        {
            var image = sampler.Frame(clip, index);
            var landmarks = sampler.Landmarks(clip, index);
            double sx = (double)resolution / image.Width, sy = (double)resolution / image.Height;
            for (var p = 0; p < 68; p++)
            {
                landmarks[2 * p] *= sx;
                landmarks[2 * p + 1] *= sy;
            }
            faces.Add((ImageOps.Resize(image, resolution, resolution), FaceBoxes.Face(landmarks)));
            truth.Add(landmarks);
        }
        var predicted = model.Predict(faces, device);
        return (LandmarkDistance.Sequence(predicted, truth, LandmarkDistance.FacePoints), LandmarkDistance.Sequence(predicted, truth, LandmarkDistance.MouthPoints), chosen.Length);
    }

    private static PixelBox Jitter(PixelBox box, double amount, Random random)
    {
        if (amount == 0) return box;
        var side = box.Width;
        var scale = 1 + amount * (2 * random.NextDouble() - 1);
        var cx = (box.X0 + box.X1) / 2 + amount * side * (2 * random.NextDouble() - 1);
        var cy = (box.Y0 + box.Y1) / 2 + amount * side * (2 * random.NextDouble() - 1);
        var half = side * scale / 2;
        return new PixelBox(cx - half, cy - half, cx + half, cy + half);
    }
}
