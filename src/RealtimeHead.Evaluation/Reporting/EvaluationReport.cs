using System.Globalization;
using System.Text;

namespace RealtimeHead.Evaluation.Reporting;

/// <summary>The evaluation's result: the table rows and the facts a reader needs to interpret them.</summary>
public sealed record EvaluationReport
{
    /// <summary>Ground truth first, then each method.</summary>
    public required IReadOnlyList<MethodScores> Rows { get; init; }

    /// <summary>Side of the square frames every metric was measured at.</summary>
    public required int Resolution { get; init; }

    public required IReadOnlyList<string> ClipIds { get; init; }

    /// <summary>False when the corpus had a single identity, so the evaluated clips are not held out.</summary>
    public required bool HeldOutIdentities { get; init; }

    /// <summary>Lines about the landmark regressor and the sync network (their own errors), or why a column is empty.</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>The report as markdown: a table in the papers' layout and the definitions under it.</summary>
    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# RealtimeHead evaluation").AppendLine();
        md.AppendLine(Invariant($"{ClipIds.Count} clips of {(HeldOutIdentities ? "held-out identities" : "the only identity (NOT held out: the corpus has one identity)")}, {Rows[0].Frames} frames, measured at {Resolution}x{Resolution} pixels; single-shot (frame 0 of each clip is the source portrait; the image and landmark metrics score the frames after it)."))
            .AppendLine();
        md.AppendLine("| Method | PSNR ↑ | SSIM ↑ | F-LMD ↓ | M-LMD ↓ | CPBD ↑ | Sync conf ↑ | Sync offset | fps ↑ |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var row in Rows)
        {
            md.AppendLine(Invariant($"| {row.Name} | {Format(row.Psnr, "F2")} | {Format(row.Ssim, "F4")} | {Format(row.FaceLmd, "F3")} | {Format(row.MouthLmd, "F3")} | {Format(row.Cpbd, "F3")} | {Format(row.SyncConfidence, "F3")} | {Format(row.SyncOffset, "F1")} | {Format(row.Fps, "F1")} |"));
        }
        md.AppendLine();
        md.AppendLine("## Definitions").AppendLine();
        md.AppendLine("- PSNR: 10·log10(255²/MSE) over the RGB channels of each frame against its ground truth, averaged over frames.");
        md.AppendLine("- SSIM: Wang et al. 2004 on BT.601 luma, 11×11 Gaussian window (σ 1.5), K1 0.01, K2 0.03, mean of the map, averaged over frames.");
        md.AppendLine(Invariant($"- F-LMD / M-LMD: mean Euclidean distance in pixels at {Resolution}×{Resolution} between the landmarks the evaluation regressor predicts on the generated frame and on the ground-truth frame (both cropped with the ground-truth face box), over all 68 points / the mouth points 48-67, averaged over frames."));
        md.AppendLine("- CPBD: Narvekar & Karam 2011 no-reference sharpness of the frames themselves (higher = sharper).");
        md.AppendLine("- Sync conf / offset: SyncNet procedure with the evaluation sync network: distances between video and audio embeddings over audio shifts −15…+15 frames, offset = SyncNet's AV offset at the minimum mean distance (0 = in sync, negative = audio late), confidence = median − min of the mean distances; averaged over clips.");
        md.AppendLine("- fps: rendered frames per second of rendering time (batched, portrait encoding excluded).");
        md.AppendLine("- Ground truth: the real frames scored against themselves (PSNR ∞, SSIM 1, LMD 0 by construction); its CPBD and Sync are the reference levels.");
        md.AppendLine();
        md.AppendLine("## Notes").AppendLine();
        foreach (var note in Notes) md.AppendLine($"- {note}");
        md.AppendLine(Invariant($"- Clips: {string.Join(", ", ClipIds)}"));
        return md.ToString();
    }

    internal static string Format(double value, string format) =>
        double.IsNaN(value) ? "n/a" : double.IsPositiveInfinity(value) ? "∞" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
