namespace RealtimeHead.Server.Avatars;

/// <summary>Why an upload was refused; the API maps each to a status code.</summary>
internal enum AvatarUploadError
{
    None = 0,

    /// <summary>Larger than Limits:MaxUploadBytes (413).</summary>
    TooLarge,

    /// <summary>Not a PNG or JPEG, or corrupt (415 / 400).</summary>
    NotAnImage,

    /// <summary>Smaller than the minimum side (400).</summary>
    TooSmall,

    /// <summary>Limits:MaxAvatars reached (409).</summary>
    StoreFull,
}

/// <summary>The stored avatar, or why not.</summary>
internal sealed record AvatarUploadResult(AvatarInfo? Avatar, AvatarUploadError Error, string Message)
{
    public static AvatarUploadResult Refused(AvatarUploadError error, string message) => new(null, error, message);
}
