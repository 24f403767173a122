namespace RealtimeHead.Server.Avatars;

/// <summary>An avatar as the REST API lists it.</summary>
/// <param name="Id">Server-chosen id (<c>default</c> for the bundled avatar).</param>
/// <param name="IsDefault">Whether this is the bundled avatar (which cannot be deleted).</param>
/// <param name="Width">Stored portrait width in pixels.</param>
/// <param name="Height">Stored portrait height in pixels.</param>
/// <param name="CreatedAt">When it was uploaded (the server's start for the default).</param>
public sealed record AvatarInfo(string Id, bool IsDefault, int Width, int Height, DateTimeOffset CreatedAt);
