using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;
using Microsoft.Net.Http.Headers;

namespace RealtimeHead.Server.Web;

/// <summary>
/// Serves the built web client's files: only files (no directory listings), only types with a known content type,
/// never dot-files or anything outside the root (<see cref="PhysicalFileProvider"/> refuses <c>..</c> and hidden
/// files). Responses carry Last-Modified and an ETag so the browser revalidates cheaply (RFC 9110 §13: 304 on a
/// match), and <c>Cache-Control: no-cache</c> so a rebuilt client is picked up on the next load.
/// </summary>
internal sealed class WebClientFiles : IDisposable
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();
    private readonly PhysicalFileProvider _files;

    public WebClientFiles(string root)
    {
        Root = root;
        _files = new PhysicalFileProvider(root, ExclusionFilters.Sensitive);
    }

    /// <summary>The folder served.</summary>
    public string Root { get; }

    /// <summary>The file at <paramref name="path"/> (relative to the root, '/'-separated), or 404.</summary>
    public IResult Serve(HttpContext context, string? path)
    {
        if (string.IsNullOrEmpty(path) || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return Results.NotFound();
        }

        var file = _files.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null || !ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            return Results.NotFound();
        }

        if (contentType.StartsWith("text/", StringComparison.Ordinal) && !contentType.Contains("charset", StringComparison.Ordinal))
        {
            contentType += "; charset=utf-8";
        }

        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var tag = string.Create(CultureInfo.InvariantCulture, $"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        return Results.File(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: new EntityTagHeaderValue(tag));
    }

    public void Dispose() => _files.Dispose();
}
