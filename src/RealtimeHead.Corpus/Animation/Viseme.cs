namespace RealtimeHead.Corpus.Animation;

/// <summary>
/// Mouth-shape classes: groups of phonemes that look alike on the lips (after the MPEG-4 FBA viseme set,
/// with vowels split by openness and rounding).
/// </summary>
public enum Viseme
{
    Silence,
    Bilabial,        // p b m: lips pressed together
    Labiodental,     // f v: lower lip against the upper teeth
    Dental,          // θ ð
    Alveolar,        // t d n l s z
    Postalveolar,    // ʃ ʒ tʃ dʒ: lips pushed forward
    Velar,           // k g ŋ h
    Rhotic,          // ɹ r: slight rounding
    LabialGlide,     // w: strong rounding, small opening
    Palatal,         // j
    OpenVowel,       // a ɑ æ ʌ aɪ aʊ
    MidVowel,        // e ɛ ə ɜ eɪ
    CloseFrontVowel, // i ɪ: spread lips
    RoundedVowel,    // u ʊ o ɔ əʊ ɔɪ
}
