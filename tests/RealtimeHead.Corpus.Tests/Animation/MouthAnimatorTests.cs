using RealtimeHead.Corpus.Animation;

namespace RealtimeHead.Corpus.Tests.Animation;

public sealed class MouthAnimatorTests
{
    private static readonly PhonemeSpan[] MaMa =
    [
        new("", Viseme.Silence, 0, 0.4),
        new("m", Viseme.Bilabial, 0.4, 0.52),
        new("ɑː", Viseme.OpenVowel, 0.52, 0.8),
        new("m", Viseme.Bilabial, 0.8, 0.92),
        new("ɑː", Viseme.OpenVowel, 0.92, 1.2),
        new("", Viseme.Silence, 1.2, 2.0),
    ];

    [Fact]
    public void Animate_OpenVowel_OpensJawWide()
    {
        var frames = new MouthAnimator().Animate(MaMa, 50, 25);

        Assert.True(frames[16].JawOpen > 0.6, $"jaw {frames[16].JawOpen:F2} at 0.64 s");
        Assert.True(frames[5].JawOpen < 0.1, $"jaw {frames[5].JawOpen:F2} in silence");
    }

    [Fact]
    public void Animate_Bilabial_PressesLipsBetweenVowels()
    {
        var frames = new MouthAnimator().Animate(MaMa, 50, 25);

        // The second /m/ spans 0.80–0.92 s; with 40 ms anticipation its centre shows at about 0.82 s = frame 20-21.
        var closure = Math.Max(frames[20].LipPress, frames[21].LipPress);
        Assert.True(closure > 0.7, $"lip press {closure:F2}");
        Assert.True(frames[17].LipPress < 0.3);
    }

    [Fact]
    public void Animate_Lookahead_JawRisesBeforeVowelOnset()
    {
        var early = new MouthAnimator { LookaheadSeconds = 0.08 }.Animate(MaMa, 50, 25);
        var late = new MouthAnimator { LookaheadSeconds = 0 }.Animate(MaMa, 50, 25);

        // Frame 12 (0.48 s) precedes the first vowel (0.52 s).
        Assert.True(early[12].JawOpen > late[12].JawOpen + 0.1, $"{early[12].JawOpen:F2} vs {late[12].JawOpen:F2}");
    }

    [Fact]
    public void Animate_ValuesStayInRange()
    {
        var frames = new MouthAnimator().Animate(MaMa, 50, 25);
        Assert.All(frames, f =>
        {
            Assert.InRange(f.JawOpen, 0, 1);
            Assert.InRange(f.LipWidth, -1, 1);
            Assert.InRange(f.Rounding, 0, 1);
            Assert.InRange(f.LipPress, 0, 1);
        });
    }
}
