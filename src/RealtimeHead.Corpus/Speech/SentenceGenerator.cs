using System.Text;

namespace RealtimeHead.Corpus.Speech;

/// <summary>
/// Builds varied, grammatical English sentences from word lists and a few templates, so the corpus covers
/// most English phonemes (bilabials, rounded and open vowels, fricatives) without any text data set.
/// </summary>
public sealed class SentenceGenerator
{
    private static readonly string[] Subjects =
    [
        "the doctor", "my brother", "a quiet neighbour", "the old fisherman", "our teacher", "the young pilot",
        "a tired baker", "the mayor", "my aunt", "the farmer", "a curious child", "the musician", "the driver",
        "your cousin", "the chef", "a famous painter", "the boss", "the nurse", "my friend Paula", "the engineer",
    ];

    private static readonly string[] Verbs =
    [
        "bought", "painted", "moved", "found", "opened", "watched", "fixed", "carried", "borrowed", "described",
        "remembered", "threw", "washed", "checked", "chose", "measured", "pushed", "wrapped", "visited", "judged",
    ];

    private static readonly string[] Objects =
    [
        "a blue umbrella", "the wooden boat", "seven purple balloons", "a heavy box of books", "the yellow bicycle",
        "an orange cat", "the broken window", "a map of the moon", "two warm loaves of bread", "the silver watch",
        "a bowl of soup", "the shiny new phone", "four muddy boots", "a jar of honey", "the whole village",
        "a thick woollen jumper", "the morning paper", "a funny photograph", "the garden fence", "five ripe peaches",
    ];

    private static readonly string[] Places =
    [
        "at the market", "near the river", "in the kitchen", "before lunch", "on Thursday morning", "after the storm",
        "beside the harbour", "under the bridge", "in June", "at the zoo", "behind the theatre", "every Wednesday",
        "during the football match", "by the old mill", "outside the museum", "at midnight",
    ];

    private static readonly string[] Questions =
    [
        "Why did", "Where did", "When did", "How often did", "Who saw how",
    ];

    private static readonly string[] Interjections =
    [
        "Oh,", "Well,", "Look,", "Honestly,", "You know,", "By the way,",
    ];

    private readonly Random random;

    /// <summary>Creates a generator whose sentence sequence depends only on <paramref name="seed"/>.</summary>
    public SentenceGenerator(int seed) => random = new Random(seed);

    /// <summary>The next sentence.</summary>
    public string Next()
    {
        var builder = new StringBuilder();
        switch (random.Next(4))
        {
            case 0:
                builder.Append(Capitalise(Pick(Subjects))).Append(' ').Append(Pick(Verbs)).Append(' ')
                    .Append(Pick(Objects)).Append(' ').Append(Pick(Places)).Append('.');
                break;
            case 1:
                builder.Append(Pick(Questions)).Append(' ').Append(Pick(Subjects)).Append(' ')
                    .Append(BaseForm(Pick(Verbs))).Append(' ').Append(Pick(Objects)).Append('?');
                break;
            case 2:
                builder.Append(Pick(Interjections)).Append(' ').Append(Pick(Subjects)).Append(' ').Append(Pick(Verbs))
                    .Append(' ').Append(Pick(Objects)).Append(", and then ").Append(Pick(Subjects)).Append(' ')
                    .Append(Pick(Verbs)).Append(" it ").Append(Pick(Places)).Append('.');
                break;
            default:
                builder.Append(Capitalise(Pick(Places))).Append(", ").Append(Pick(Subjects)).Append(' ')
                    .Append(Pick(Verbs)).Append(' ').Append(Pick(Objects)).Append('!');
                break;
        }

        return builder.ToString();
    }

    /// <summary>Sentences joined until their estimated speaking time at <paramref name="wordsPerMinute"/> reaches <paramref name="seconds"/>.</summary>
    public string NextText(double seconds, int wordsPerMinute)
    {
        var builder = new StringBuilder(Next());
        while (CountWords(builder) * 60.0 / wordsPerMinute < seconds)
        {
            builder.Append(' ').Append(Next());
        }

        return builder.ToString();
    }

    private static int CountWords(StringBuilder text)
    {
        var count = 1;
        for (var i = 0; i < text.Length; i++)
        {
            count += text[i] == ' ' ? 1 : 0;
        }

        return count;
    }

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static string BaseForm(string pastTense) => pastTense switch
    {
        "bought" => "buy",
        "found" => "find",
        "threw" => "throw",
        "chose" => "choose",
        "measured" => "measure",
        "wrapped" => "wrap",
        _ when pastTense.EndsWith("ied", StringComparison.Ordinal) => pastTense[..^3] + "y",
        _ when pastTense.EndsWith("ed", StringComparison.Ordinal) && pastTense[^3] == 'e' => pastTense[..^2],
        _ when pastTense.EndsWith("ged", StringComparison.Ordinal) || pastTense.EndsWith("ved", StringComparison.Ordinal) || pastTense.EndsWith("bed", StringComparison.Ordinal) => pastTense[..^1],
        _ => pastTense[..^2],
    };

    private string Pick(string[] words) => words[random.Next(words.Length)];
}
