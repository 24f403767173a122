namespace RealtimeHead.Corpus.Rendering;

/// <summary>Surface classes of the head model; the renderer shades and masks by them.</summary>
internal enum Material : byte
{
    Background,
    Skin,
    Lip,
    Teeth,
    Tongue,
    MouthInterior,
    Eye,
    Brow,
    Hair,
    Cloth,
}
