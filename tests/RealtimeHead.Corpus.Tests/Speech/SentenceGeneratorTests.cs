using RealtimeHead.Corpus.Speech;

namespace RealtimeHead.Corpus.Tests.Speech;

public sealed class SentenceGeneratorTests
{
    [Fact]
    public void Next_SameSeed_SameSentences()
    {
        var a = new SentenceGenerator(3);
        var b = new SentenceGenerator(3);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(a.Next(), b.Next());
        }
    }

    [Fact]
    public void Next_ManySentences_VariedAndPunctuated()
    {
        var generator = new SentenceGenerator(11);
        var sentences = Enumerable.Range(0, 50).Select(_ => generator.Next()).ToList();

        Assert.True(sentences.Distinct().Count() >= 45);
        Assert.All(sentences, s => Assert.Contains(s[^1], ".?!"));
        Assert.All(sentences, s => Assert.True(char.IsUpper(s[0]), s));
    }

    [Fact]
    public void NextText_TenSeconds_HasEnoughWordsForTheRate()
    {
        var text = new SentenceGenerator(1).NextText(10, 180);
        Assert.True(text.Split(' ').Length >= 30, text);
    }
}
