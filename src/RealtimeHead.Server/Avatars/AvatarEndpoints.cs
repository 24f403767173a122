using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Observability;

namespace RealtimeHead.Server.Avatars;

/// <summary>
/// REST API of the avatars: GET /api/avatars (list), GET /api/avatars/{id}/image (PNG), POST /api/avatars (multipart,
/// one file field; PNG or JPEG, size-limited, validated by decoding; the server chooses the id), DELETE
/// /api/avatars/{id} (not the default). Errors are RFC 9457 problem details with a <c>code</c> extension.
/// </summary>
internal static class AvatarEndpoints
{
    public static RouteGroupBuilder MapAvatarApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/avatars");
        group.MapGet("/", (AvatarStore store) => Results.Ok(store.List()));
        group.MapGet("/{id}/image", (string id, AvatarStore store) =>
            store.ReadPng(id) is { } png ? Results.File(png, "image/png") : NotFound(id));
        group.MapPost("/", UploadAsync);
        group.MapDelete("/{id}", (string id, AvatarStore store) =>
        {
            if (id == AvatarStore.DefaultAvatarId)
            {
                return Problem(StatusCodes.Status409Conflict, "default_avatar", "The bundled default avatar cannot be deleted.");
            }

            return store.Delete(id) ? Results.NoContent() : NotFound(id);
        });
        return group;
    }

    private static async Task<IResult> UploadAsync(HttpRequest request, AvatarStore store, ServerMetrics metrics, IOptions<RealtimeHeadOptions> options)
    {
        var limit = options.Value.Limits.MaxUploadBytes;

        // Multipart framing adds a few hundred bytes; anything far beyond the limit is refused before reading it.
        const long FramingAllowance = 16 * 1024;
        if (request.ContentLength > limit + FramingAllowance)
        {
            metrics.Upload("too_large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "too_large", $"The upload is larger than the limit of {limit} bytes.");
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit + FramingAllowance;
        }

        if (!request.HasFormContentType)
        {
            metrics.Upload("bad_request");
            return Problem(StatusCodes.Status415UnsupportedMediaType, "not_multipart", "Send the portrait as multipart/form-data with one file field.");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = limit + FramingAllowance,
                ValueCountLimit = 16,
                ValueLengthLimit = 1024,
            }, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
        {
            metrics.Upload("too_large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "too_large", $"The upload could not be read within the limit of {limit} bytes: {exception.Message}");
        }

        if (form.Files.Count != 1)
        {
            metrics.Upload("bad_request");
            return Problem(StatusCodes.Status400BadRequest, "one_file", $"Send exactly one file (got {form.Files.Count}).");
        }

        var file = form.Files[0];
        if (file.Length > limit)
        {
            metrics.Upload("too_large");
            return Problem(StatusCodes.Status413PayloadTooLarge, "too_large", $"The file is {file.Length} bytes; the limit is {limit}.");
        }

        // The client's file name and declared type are ignored: the content decides, and the server names the file.
        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }

        var result = store.Add(content);
        switch (result.Error)
        {
            case AvatarUploadError.None:
                metrics.Upload("stored");
                return Results.Created($"/api/avatars/{result.Avatar!.Id}", result.Avatar);
            case AvatarUploadError.TooLarge:
                metrics.Upload("too_large");
                return Problem(StatusCodes.Status413PayloadTooLarge, "too_large", result.Message);
            case AvatarUploadError.NotAnImage:
                metrics.Upload("not_an_image");
                return Problem(StatusCodes.Status415UnsupportedMediaType, "not_an_image", result.Message);
            case AvatarUploadError.TooSmall:
                metrics.Upload("too_small");
                return Problem(StatusCodes.Status400BadRequest, "too_small", result.Message);
            default:
                metrics.Upload("store_full");
                return Problem(StatusCodes.Status409Conflict, "store_full", result.Message);
        }
    }

    private static IResult NotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "unknown_avatar", $"There is no avatar '{(id.Length > 64 ? id[..64] + "..." : id)}'.");

    private static IResult Problem(int status, string code, string detail) =>
        Results.Problem(detail: detail, statusCode: status, extensions: new Dictionary<string, object?> { ["code"] = code });
}
