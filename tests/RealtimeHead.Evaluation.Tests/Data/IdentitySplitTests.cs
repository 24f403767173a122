using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Evaluation.Data;

namespace RealtimeHead.Evaluation.Tests.Data;

public sealed class IdentitySplitTests
{
    private static CorpusManifest Manifest(params string[] identities) => new()
    {
        Format = DatasetFormat.Name,
        Version = DatasetFormat.Version,
        Fps = 25,
        SampleRate = 16000,
        Width = 64,
        Height = 64,
        Clips = identities.Select((id, i) => new ClipEntry($"c{i}", id, $"clips/c{i}", 10)).ToArray(),
    };

    [Fact]
    public void Of_FiveIdentities_HoldsOutTheLastOne()
    {
        var split = IdentitySplit.Of(Manifest("b", "a", "e", "c", "d", "e"));

        Assert.True(split.IsDisjoint);
        Assert.Equal(["c2", "c5"], split.HeldOut.Select(c => c.Id));
        Assert.Equal(4, split.Training.Count);
    }

    [Fact]
    public void Of_TenIdentities_HoldsOutTwo()
    {
        var split = IdentitySplit.Of(Manifest(Enumerable.Range(0, 10).Select(i => $"id{i}").ToArray()));

        Assert.Equal(["id8", "id9"], split.HeldOut.Select(c => c.Identity));
    }

    [Fact]
    public void Of_OneIdentity_IsNotDisjoint()
    {
        var split = IdentitySplit.Of(Manifest("a", "a"));

        Assert.False(split.IsDisjoint);
        Assert.Equal(2, split.HeldOut.Count);
        Assert.Equal(2, split.Training.Count);
    }
}
