using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Imaging;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Avatars;

/// <summary>
/// The portraits sessions may use: the bundled default (embedded, always present, never deleted) and uploads kept in
/// Avatars:Directory as <c>{id}.png</c>. Ids are chosen by the server (random, <see cref="IdPattern"/>), so a client
/// name never becomes a path; every id from a request is checked against the pattern before a file is touched.
/// Uploads are decoded (PNG/JPEG by content), cropped to their centred square and re-encoded as PNG, so what is stored
/// is always a valid image the server made.
/// </summary>
internal sealed partial class AvatarStore
{
    /// <summary>Id of the bundled avatar.</summary>
    public const string DefaultAvatarId = "default";

    /// <summary>Smallest accepted portrait side.</summary>
    public const int MinSide = 64;

    /// <summary>Largest stored side: bigger uploads are scaled down (the renderer needs at most 256-512).</summary>
    public const int MaxStoredSide = 512;

    private const string DefaultResource = "RealtimeHead.Server.Avatars.Default.default.png";

    private readonly ConcurrentDictionary<string, AvatarInfo> _avatars = new(StringComparer.Ordinal);
    private readonly Lock _writeGate = new();
    private readonly RealtimeHeadOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AvatarStore> _logger;
    private string? _directory;
    private byte[]? _defaultPng;

    public AvatarStore(IOptions<RealtimeHeadOptions> options, TimeProvider time, ILogger<AvatarStore> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised with the id of a deleted avatar (the portrait cache drops its encoding).</summary>
    public event Action<string>? Deleted;

    /// <summary>Whether <paramref name="id"/> has the shape of an avatar id (lower-case letters, digits, '-', 1-64).</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>Creates the directory and indexes the default and every readable upload; unreadable files are skipped and logged.</summary>
    public void Initialize()
    {
        var directory = Path.GetFullPath(_options.Avatars.Directory);
        Directory.CreateDirectory(directory);
        _directory = directory;

        using (var stream = typeof(AvatarStore).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The default avatar resource {DefaultResource} is missing from the assembly."))
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            _defaultPng = copy.ToArray();
        }

        var image = RgbImage.Decode(_defaultPng, "default avatar");
        _avatars[DefaultAvatarId] = new AvatarInfo(DefaultAvatarId, true, image.Width, image.Height, _time.GetUtcNow());

        foreach (var path in Directory.EnumerateFiles(directory, "*.png"))
        {
            var id = Path.GetFileNameWithoutExtension(path);
            if (!IsValidId(id) || id == DefaultAvatarId)
            {
                Log.SkippedFile(_logger, path, "the name is not a server-chosen avatar id");
                continue;
            }

            try
            {
                var stored = RgbImage.Load(path);
                _avatars[id] = new AvatarInfo(id, false, stored.Width, stored.Height, new DateTimeOffset(File.GetCreationTimeUtc(path), TimeSpan.Zero));
            }
            catch (Exception exception) when (exception is ImageCodecException or IOException)
            {
                Log.SkippedFile(_logger, path, exception.Message);
            }
        }

        Log.Indexed(_logger, _avatars.Count, directory);
    }

    /// <summary>Every avatar, the default first, then uploads oldest first.</summary>
    public IReadOnlyList<AvatarInfo> List() =>
        [.. _avatars.Values.OrderByDescending(a => a.IsDefault).ThenBy(a => a.CreatedAt).ThenBy(a => a.Id, StringComparer.Ordinal)];

    public bool TryGet(string? id, out AvatarInfo avatar)
    {
        avatar = null!;
        return IsValidId(id) && _avatars.TryGetValue(id!, out avatar!);
    }

    /// <summary>The stored PNG of an avatar, or null when there is none.</summary>
    public byte[]? ReadPng(string id)
    {
        if (!TryGet(id, out var avatar))
        {
            return null;
        }

        if (avatar.IsDefault)
        {
            return _defaultPng;
        }

        try
        {
            return File.ReadAllBytes(PathOf(id));
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Decodes the stored portrait, or null when it is gone.</summary>
    public RgbImage? LoadImage(string id)
    {
        var png = ReadPng(id);
        return png is null ? null : RgbImage.Decode(png, $"avatar {id}");
    }

    /// <summary>Validates an upload by decoding it, stores its centred square as PNG under a new id, and lists it.</summary>
    public AvatarUploadResult Add(ReadOnlySpan<byte> content)
    {
        if (content.Length > _options.Limits.MaxUploadBytes)
        {
            return AvatarUploadResult.Refused(AvatarUploadError.TooLarge, $"The upload is {content.Length} bytes; the limit is {_options.Limits.MaxUploadBytes}.");
        }

        if (RgbImage.Sniff(content) is null)
        {
            return AvatarUploadResult.Refused(AvatarUploadError.NotAnImage, "The upload is not a PNG or JPEG image.");
        }

        RgbImage image;
        try
        {
            image = RgbImage.Decode(content, "upload");
        }
        catch (Exception exception) when (exception is ImageCodecException or ArgumentException)
        {
            return AvatarUploadResult.Refused(AvatarUploadError.NotAnImage, $"The image could not be decoded: {exception.Message}");
        }

        if (Math.Min(image.Width, image.Height) < MinSide)
        {
            return AvatarUploadResult.Refused(AvatarUploadError.TooSmall, $"The image is {image.Width}x{image.Height}; portraits need at least {MinSide} pixels on the short side.");
        }

        var side = Math.Min(MaxStoredSide, Math.Min(image.Width, image.Height));
        var square = new RgbImage(side, side, PortraitImage.ToSquare(image, side));
        var png = square.Encode(ImageFileFormat.Png);

        lock (_writeGate)
        {
            if (_avatars.Count - 1 >= _options.Limits.MaxAvatars)
            {
                return AvatarUploadResult.Refused(AvatarUploadError.StoreFull, $"{_options.Limits.MaxAvatars} avatars are stored (Limits:MaxAvatars); delete one first.");
            }

            var id = NewId();
            var path = PathOf(id);
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, png);
            File.Move(temporary, path);
            var avatar = new AvatarInfo(id, false, side, side, _time.GetUtcNow());
            _avatars[id] = avatar;
            Log.Uploaded(_logger, id, image.Width, image.Height, side);
            return new AvatarUploadResult(avatar, AvatarUploadError.None, "stored");
        }
    }

    /// <summary>Deletes an uploaded avatar. False when it does not exist; throws for the default.</summary>
    public bool Delete(string id)
    {
        if (id == DefaultAvatarId)
        {
            throw new InvalidOperationException("The default avatar cannot be deleted.");
        }

        if (!IsValidId(id))
        {
            return false;
        }

        lock (_writeGate)
        {
            if (!_avatars.TryRemove(id, out _))
            {
                return false;
            }

            File.Delete(PathOf(id));
        }

        Log.Deleted(_logger, id);
        Deleted?.Invoke(id);
        return true;
    }

    private string PathOf(string id)
    {
        var directory = _directory ?? throw new InvalidOperationException("The avatar store is not initialized.");
        var path = Path.GetFullPath(Path.Combine(directory, id + ".png"));

        // Defence in depth: ids are validated, but never let a path leave the directory.
        if (!path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Avatar id '{id}' resolves outside the avatar directory.");
        }

        return path;
    }

    private static string NewId() => "a" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
