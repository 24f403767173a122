namespace RealtimeHead.Corpus.Animation;

/// <summary>
/// The articulation parameters the head model renders. <paramref name="JawOpen"/> 0 (closed) to 1 (wide open);
/// <paramref name="LipWidth"/> −1 (narrow) to 1 (spread); <paramref name="Rounding"/> 0–1 (lip protrusion and
/// pursing); <paramref name="LipPress"/> 0–1 (lips held together, as in p/b/m, overriding a small jaw opening).
/// </summary>
internal readonly record struct MouthShape(double JawOpen, double LipWidth, double Rounding, double LipPress)
{
    public static MouthShape Rest => new(0.04, 0, 0, 0.3);

    public static MouthShape Lerp(MouthShape a, MouthShape b, double t) => new(
        a.JawOpen + ((b.JawOpen - a.JawOpen) * t),
        a.LipWidth + ((b.LipWidth - a.LipWidth) * t),
        a.Rounding + ((b.Rounding - a.Rounding) * t),
        a.LipPress + ((b.LipPress - a.LipPress) * t));

    /// <summary>The target shape of a viseme.</summary>
    public static MouthShape Of(Viseme viseme) => viseme switch
    {
        Viseme.Silence => Rest,
        Viseme.Bilabial => new(0.0, 0.0, 0.1, 1.0),
        Viseme.Labiodental => new(0.12, 0.1, 0.0, 0.6),
        Viseme.Dental => new(0.2, 0.2, 0.0, 0.0),
        Viseme.Alveolar => new(0.22, 0.3, 0.0, 0.0),
        Viseme.Postalveolar => new(0.2, -0.3, 0.7, 0.0),
        Viseme.Velar => new(0.32, 0.1, 0.0, 0.0),
        Viseme.Rhotic => new(0.2, -0.2, 0.5, 0.0),
        Viseme.LabialGlide => new(0.12, -0.7, 0.95, 0.0),
        Viseme.Palatal => new(0.16, 0.4, 0.0, 0.0),
        Viseme.OpenVowel => new(0.9, 0.25, 0.0, 0.0),
        Viseme.MidVowel => new(0.5, 0.3, 0.05, 0.0),
        Viseme.CloseFrontVowel => new(0.25, 0.8, 0.0, 0.0),
        Viseme.RoundedVowel => new(0.5, -0.55, 0.85, 0.0),
        _ => Rest,
    };
}
