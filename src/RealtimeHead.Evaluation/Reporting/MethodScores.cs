namespace RealtimeHead.Evaluation.Reporting;

/// <summary>
/// One row of the report: the means over every evaluated frame (PSNR, SSIM, LMD, CPBD) or clip (Sync) of one method.
/// NaN = not measured (no landmark regressor / sync network given, or nothing measurable).
/// </summary>
public sealed record MethodScores
{
    public required string Name { get; init; }

    /// <summary>dB; +∞ when every frame is identical to the ground truth.</summary>
    public required double Psnr { get; init; }

    public required double Ssim { get; init; }

    /// <summary>F-LMD, pixels at the evaluation resolution.</summary>
    public required double FaceLmd { get; init; }

    /// <summary>M-LMD, pixels at the evaluation resolution.</summary>
    public required double MouthLmd { get; init; }

    public required double Cpbd { get; init; }

    public required double SyncConfidence { get; init; }

    /// <summary>Mean SyncNet AV offset over clips, frames.</summary>
    public required double SyncOffset { get; init; }

    /// <summary>Rendered frames per second (NaN for the ground truth).</summary>
    public required double Fps { get; init; }

    /// <summary>Frames scored by the image and landmark metrics (every clip's frames after its source frame 0).</summary>
    public required int Frames { get; init; }

    public required int Clips { get; init; }
}
