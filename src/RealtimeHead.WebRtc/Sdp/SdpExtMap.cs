using System.Globalization;

namespace RealtimeHead.WebRtc.Sdp;

/// <summary><c>a=extmap:&lt;id&gt;[/&lt;direction&gt;] &lt;uri&gt; [&lt;attributes&gt;]</c> (RFC 8285 §8).</summary>
internal sealed record SdpExtMap(int Id, string Uri, string? Direction = null, string? ExtensionAttributes = null)
{
    public string ToSdpValue()
    {
        string id = Direction is null ? Id.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{Id}/{Direction}");
        return ExtensionAttributes is null ? $"{id} {Uri}" : $"{id} {Uri} {ExtensionAttributes}";
    }

    public static bool TryParse(string? value, out SdpExtMap? extMap)
    {
        extMap = null;
        string[] parts = value?.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        if (parts.Length < 2)
        {
            return false;
        }

        string[] idParts = parts[0].Split('/');

        // RFC 8285 §5: ids 1–14 (one-byte form) and 1–255 (two-byte form); 15 is reserved.
        if (idParts.Length > 2
            || !int.TryParse(idParts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int id)
            || id is < 1 or > 255 || id == 15)
        {
            return false;
        }

        extMap = new SdpExtMap(id, parts[1], idParts.Length == 2 ? idParts[1] : null, parts.Length == 3 ? parts[2] : null);
        return true;
    }
}
