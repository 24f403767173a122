using System.Globalization;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Evaluation.Landmarks;
using RealtimeHead.Evaluation.Metrics;
using RealtimeHead.Evaluation.Rendering;
using RealtimeHead.Evaluation.Reporting;
using RealtimeHead.Evaluation.Sync;
using RealtimeHead.Imaging;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Evaluation;

/// <summary>
/// Scores methods on held-out clips of a corpus (<see cref="IdentitySplit"/>): each method re-creates every clip from its
/// first frame, audio and poses; PSNR, SSIM and LMD compare each frame with the ground truth resized to the method's output
/// size; CPBD and Sync score the frames alone. The ground-truth row scores the real frames against themselves.
/// </summary>
public sealed class Evaluator(CorpusReader reader, EvaluationOptions options, LandmarkRegressor? landmarks = null, SyncNetwork? sync = null, Device? device = null)
{
    /// <summary>Below this mean held-out confidence the sync network is reported as not trained enough (a collapsed one scores about 0.04).</summary>
    public const double UntrainedSyncConfidence = 0.1;

    /// <summary>Evaluates <paramref name="methods"/> (all of the same output size) and the ground truth.</summary>
    public EvaluationReport Run(IReadOnlyList<IClipRenderer> methods, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(methods);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors), nameof(options));
        if (methods.Count == 0) throw new ArgumentException("no method to evaluate", nameof(methods));
        var size = methods[0].OutputSize;
        if (methods.Any(m => m.OutputSize != size)) throw new ArgumentException("every method must render at the same size", nameof(methods));

        var split = IdentitySplit.Of(reader.Manifest);
        var clips = split.HeldOut.Where(c => c.FrameCount >= 1).Take(options.Clips).ToArray();
        var truth = new GroundTruthClipRenderer(size);
        var all = new IClipRenderer[] { truth }.Concat(methods).ToArray();
        var accumulators = all.Select(m => new Accumulator(m.Name)).ToArray();
        foreach (var clip in clips)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress?.Report($"clip {clip.Id}");
            var data = ClipData.Load(reader, clip, options.MaxFramesPerClip);
            var referenceFrames = truth.Render(data).Frames;
            var boxes = Enumerable.Range(0, data.FrameCount).Select(i => data.ScaledLandmarks(i, size, size)).ToArray();
            var referenceLandmarks = landmarks?.Predict(referenceFrames.Select((f, i) => (f, FaceBoxes.Face(boxes[i]))).ToArray(), device);
            for (var m = 0; m < all.Length; m++)
            {
                var (frames, seconds) = m == 0 ? (referenceFrames, 0.0) : all[m].Render(data);
                if (frames.Count != data.FrameCount) throw new InvalidOperationException($"{all[m].Name} rendered {frames.Count} frames of {data.FrameCount}");
                var acc = accumulators[m];
                acc.RenderSeconds += seconds;
                acc.RenderedFrames += frames.Count;
                acc.Clips++;
                // Frame 0 is the source portrait every method is given: the image and landmark metrics score the driven
                // frames after it (a method that returned its input would otherwise earn PSNR ∞ there).
                var first = frames.Count > 1 ? 1 : 0;
                for (var i = first; i < frames.Count; i++)
                {
                    acc.Psnr.Add(Psnr.Compute(referenceFrames[i], frames[i]));
                    acc.Ssim.Add(Ssim.Compute(referenceFrames[i], frames[i]));
                    acc.Cpbd.Add(Cpbd.Compute(frames[i]));
                }
                if (landmarks is not null && referenceLandmarks is not null)
                {
                    var predicted = m == 0 ? referenceLandmarks : landmarks.Predict(frames.Select((f, i) => (f, FaceBoxes.Face(boxes[i]))).ToArray(), device);
                    for (var i = first; i < frames.Count; i++)
                    {
                        acc.FaceLmd.Add(LandmarkDistance.Frame(predicted[i], referenceLandmarks[i], LandmarkDistance.FacePoints));
                        acc.MouthLmd.Add(LandmarkDistance.Frame(predicted[i], referenceLandmarks[i], LandmarkDistance.MouthPoints));
                    }
                }
                if (sync is not null && frames.Count >= SyncNetwork.Frames)
                {
                    var (video, audio) = sync.EmbedClip(frames, boxes, data.Features, device);
                    var score = SyncOffsetEstimator.Estimate(video, audio);
                    acc.SyncConfidence.Add(score.Confidence);
                    acc.SyncOffset.Add(score.Offset);
                }
            }
        }

        var notes = new List<string>();
        if (landmarks is null)
        {
            notes.Add("F-LMD / M-LMD: no landmark regressor given (--landmarks); train one with 'realtimehead eval train-landmarks'.");
        }
        else
        {
            notes.Add(Invariant($"Landmark regressor: own error on held-out identities {Meta(landmarks.Metadata, "heldOutFaceError", "F3")} px (all points) / {Meta(landmarks.Metadata, "heldOutMouthError", "F3")} px (mouth) at {Meta(landmarks.Metadata, "resolution")}x{Meta(landmarks.Metadata, "resolution")}, {Meta(landmarks.Metadata, "heldOutFrames")} frames{(landmarks.Metadata.GetValueOrDefault("disjointIdentities") == "false" ? " (NOT held out: one identity)" : "")}; LMD differences smaller than this are within the detector's noise."));
        }
        if (sync is null)
        {
            notes.Add("Sync: no evaluation sync network given (--sync); train one with 'realtimehead eval train-sync'.");
        }
        else
        {
            notes.Add(Invariant($"Sync network: {Meta(sync.Metadata, "steps")} steps, seed {Meta(sync.Metadata, "seed")}; on its held-out clips {Meta(sync.Metadata, "heldOutWithinOneFrame", "P0")} of {Meta(sync.Metadata, "heldOutClips")} offsets within ±1 frame, mean confidence {Meta(sync.Metadata, "heldOutConfidence", "F3")}."));
            if (double.TryParse(sync.Metadata.GetValueOrDefault("heldOutConfidence"), NumberStyles.Float, CultureInfo.InvariantCulture, out var heldOut) && !(heldOut >= UntrainedSyncConfidence))
            {
                notes.Add(Invariant($"WARNING: the sync network's held-out confidence is below {UntrainedSyncConfidence}: it does not yet tell in-sync from shifted audio (a collapsed network also lands on offset 0, because SyncNet's zero padding favours the unshifted alignment). Train it longer or on more identities before reading the Sync columns."));
            }
        }
        return new EvaluationReport
        {
            Rows = accumulators.Select(a => a.ToScores()).ToArray(),
            Resolution = size,
            ClipIds = clips.Select(c => c.Id).ToArray(),
            HeldOutIdentities = split.IsDisjoint,
            Notes = notes,
        };
    }

    /// <summary>A metadata value as written, or with <paramref name="format"/> when it is a number; "?" when absent.</summary>
    private static string Meta(IReadOnlyDictionary<string, string> metadata, string key, string? format = null)
    {
        if (!metadata.TryGetValue(key, out var text)) return "?";
        return format is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value.ToString(format, CultureInfo.InvariantCulture)
            : text;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Accumulator(string name)
    {
        public List<double> Psnr { get; } = [];
        public List<double> Ssim { get; } = [];
        public List<double> Cpbd { get; } = [];
        public List<double> FaceLmd { get; } = [];
        public List<double> MouthLmd { get; } = [];
        public List<double> SyncConfidence { get; } = [];
        public List<double> SyncOffset { get; } = [];
        public double RenderSeconds { get; set; }
        public int RenderedFrames { get; set; }
        public int Clips { get; set; }

        public MethodScores ToScores() => new()
        {
            Name = name,
            Psnr = Mean(Psnr),
            Ssim = Mean(Ssim),
            FaceLmd = Mean(FaceLmd),
            MouthLmd = Mean(MouthLmd),
            Cpbd = Mean(Cpbd),
            SyncConfidence = Mean(SyncConfidence),
            SyncOffset = Mean(SyncOffset),
            Fps = RenderSeconds > 0 ? RenderedFrames / RenderSeconds : double.NaN,
            Frames = Psnr.Count,
            Clips = Clips,
        };

        /// <summary>Mean of the measurable values (NaN ones, e.g. CPBD of an edgeless frame, are skipped); NaN when none.</summary>
        private static double Mean(List<double> values)
        {
            var kept = values.Where(v => !double.IsNaN(v)).ToArray();
            return kept.Length == 0 ? double.NaN : kept.Average();
        }
    }
}
