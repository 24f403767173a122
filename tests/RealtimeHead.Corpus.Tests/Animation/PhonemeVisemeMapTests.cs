using RealtimeHead.Corpus.Animation;

namespace RealtimeHead.Corpus.Tests.Animation;

public sealed class PhonemeVisemeMapTests
{
    [Theory]
    [InlineData("p", Viseme.Bilabial)]
    [InlineData("m", Viseme.Bilabial)]
    [InlineData("f", Viseme.Labiodental)]
    [InlineData("ð", Viseme.Dental)]
    [InlineData("t", Viseme.Alveolar)]
    [InlineData("ʃ", Viseme.Postalveolar)]
    [InlineData("tʃ", Viseme.Postalveolar)]
    [InlineData("dʒ", Viseme.Postalveolar)]
    [InlineData("k", Viseme.Velar)]
    [InlineData("ɹ", Viseme.Rhotic)]
    [InlineData("w", Viseme.LabialGlide)]
    [InlineData("j", Viseme.Palatal)]
    [InlineData("ɑː", Viseme.OpenVowel)]
    [InlineData("aɪ", Viseme.OpenVowel)]
    [InlineData("ˈæ", Viseme.OpenVowel)]
    [InlineData("ə", Viseme.MidVowel)]
    [InlineData("iː", Viseme.CloseFrontVowel)]
    [InlineData("uː", Viseme.RoundedVowel)]
    [InlineData("əʊ", Viseme.RoundedVowel)]
    [InlineData("", Viseme.Silence)]
    [InlineData("_:", Viseme.Silence)]
    public void Map_IpaPhoneme_ReturnsViseme(string phoneme, Viseme expected) =>
        Assert.Equal(expected, PhonemeVisemeMap.Map(phoneme));

    [Fact]
    public void VisemeShapes_OpenVowelOpensMoreThanBilabial_RoundedVowelRounds()
    {
        Assert.True(MouthShape.Of(Viseme.OpenVowel).JawOpen > 0.8);
        Assert.Equal(0, MouthShape.Of(Viseme.Bilabial).JawOpen);
        Assert.Equal(1, MouthShape.Of(Viseme.Bilabial).LipPress);
        Assert.True(MouthShape.Of(Viseme.RoundedVowel).Rounding > MouthShape.Of(Viseme.CloseFrontVowel).Rounding);
        Assert.True(MouthShape.Of(Viseme.CloseFrontVowel).LipWidth > MouthShape.Of(Viseme.LabialGlide).LipWidth);
    }
}
