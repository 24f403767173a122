using RealtimeHead.Corpus.Dataset;

namespace RealtimeHead.Evaluation.Data;

/// <summary>
/// Splits a corpus by identity so evaluation never scores a person its networks were fitted on: identities sorted
/// ordinally, the last ⌈<see cref="HeldOutFraction"/> · n⌉ are held out (at least one). A corpus of one identity cannot
/// be split: that identity is then both (<see cref="IsDisjoint"/> false; the report says so).
/// </summary>
public sealed class IdentitySplit
{
    public const double HeldOutFraction = 0.2;

    private IdentitySplit(IReadOnlyList<ClipEntry> training, IReadOnlyList<ClipEntry> heldOut, bool disjoint)
    {
        Training = training;
        HeldOut = heldOut;
        IsDisjoint = disjoint;
    }

    /// <summary>Clips of the identities the evaluation networks train on.</summary>
    public IReadOnlyList<ClipEntry> Training { get; }

    /// <summary>Clips of the held-out identities: the evaluation set.</summary>
    public IReadOnlyList<ClipEntry> HeldOut { get; }

    public bool IsDisjoint { get; }

    public static IdentitySplit Of(CorpusManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var identities = manifest.Clips.Select(c => c.Identity).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (identities.Length < 2) return new IdentitySplit(manifest.Clips, manifest.Clips, disjoint: false);
        var heldOutCount = Math.Clamp((int)Math.Ceiling(HeldOutFraction * identities.Length), 1, identities.Length - 1);
        var heldOut = identities[^heldOutCount..].ToHashSet(StringComparer.Ordinal);
        return new IdentitySplit(
            manifest.Clips.Where(c => !heldOut.Contains(c.Identity)).ToArray(),
            manifest.Clips.Where(c => heldOut.Contains(c.Identity)).ToArray(),
            disjoint: true);
    }
}
