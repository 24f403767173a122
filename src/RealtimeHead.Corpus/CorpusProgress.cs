namespace RealtimeHead.Corpus;

/// <summary>What the generator is doing for a clip.</summary>
public enum CorpusStage
{
    Speech,
    Rendering,
    Finished,
}

/// <summary>
/// Progress of <see cref="CorpusGenerator.Generate"/>: the current clip (0-based) and stage, frames written in
/// the clip, and frames written over the whole corpus.
/// </summary>
public readonly record struct CorpusProgress(
    int ClipIndex, int ClipCount, string ClipId, CorpusStage Stage, int ClipFramesDone, int ClipFrames, long FramesDone, long FramesTotal)
{
    /// <summary>Fraction of all frames done, 0–1.</summary>
    public double Fraction => FramesTotal == 0 ? 1 : (double)FramesDone / FramesTotal;
}
