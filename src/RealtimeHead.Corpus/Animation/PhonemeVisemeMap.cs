namespace RealtimeHead.Corpus.Animation;

/// <summary>
/// Maps IPA phoneme names (as espeak-ng reports them with espeakINITIALIZE_PHONEME_IPA, or as a forced
/// aligner would write them) to visemes. Stress and length marks are ignored; diphthongs and affricates are
/// classed by their first sound, which dominates the lip shape at the phoneme's onset.
/// </summary>
public static class PhonemeVisemeMap
{
    public static Viseme Map(string phoneme)
    {
        ArgumentNullException.ThrowIfNull(phoneme);
        var p = phoneme.Trim().Replace("ˈ", string.Empty, StringComparison.Ordinal).Replace("ˌ", string.Empty, StringComparison.Ordinal)
            .Replace("ː", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).Replace(":", string.Empty, StringComparison.Ordinal);
        if (p.Length == 0)
        {
            return Viseme.Silence;
        }

        if (p.StartsWith("tʃ", StringComparison.Ordinal) || p.StartsWith("dʒ", StringComparison.Ordinal))
        {
            return Viseme.Postalveolar;
        }

        if (p.StartsWith("aɪ", StringComparison.Ordinal) || p.StartsWith("aʊ", StringComparison.Ordinal))
        {
            return Viseme.OpenVowel;
        }

        if (p.StartsWith("əʊ", StringComparison.Ordinal) || p.StartsWith("oʊ", StringComparison.Ordinal))
        {
            return Viseme.RoundedVowel;
        }

        return p[0] switch
        {
            'p' or 'b' or 'm' => Viseme.Bilabial,
            'f' or 'v' => Viseme.Labiodental,
            'θ' or 'ð' => Viseme.Dental,
            't' or 'd' or 'n' or 'l' or 's' or 'z' or 'ɾ' or 'ʔ' or 'ɬ' => Viseme.Alveolar,
            'ʃ' or 'ʒ' => Viseme.Postalveolar,
            'k' or 'g' or 'ɡ' or 'ŋ' or 'h' or 'x' => Viseme.Velar,
            'ɹ' or 'r' or 'ɻ' => Viseme.Rhotic,
            'w' or 'ʍ' => Viseme.LabialGlide,
            'j' => Viseme.Palatal,
            'a' or 'ɑ' or 'æ' or 'ʌ' or 'ɐ' or 'ɒ' => Viseme.OpenVowel,
            'e' or 'ɛ' or 'ə' or 'ɜ' or 'ᵻ' or 'ɚ' or 'ɝ' => Viseme.MidVowel,
            'i' or 'ɪ' or 'y' => Viseme.CloseFrontVowel,
            'u' or 'ʊ' or 'o' or 'ɔ' or 'ɵ' => Viseme.RoundedVowel,
            _ => Viseme.Alveolar,
        };
    }

    /// <summary>True for vowel visemes (used to find vowel onsets).</summary>
    public static bool IsVowel(Viseme viseme) =>
        viseme is Viseme.OpenVowel or Viseme.MidVowel or Viseme.CloseFrontVowel or Viseme.RoundedVowel;
}
