using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using RealtimeHead.Imaging;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Avatars;

public sealed class AvatarApiTests
{
    [Fact]
    public async Task List_FreshServer_HasOnlyTheDefault()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        var avatars = await http.GetFromJsonAsync<JsonElement>("/api/avatars");

        Assert.Equal(1, avatars.GetArrayLength());
        Assert.Equal("default", avatars[0].GetProperty("id").GetString());
        Assert.True(avatars[0].GetProperty("isDefault").GetBoolean());
        Assert.Equal(256, avatars[0].GetProperty("width").GetInt32());
    }

    [Fact]
    public async Task Upload_Png_IsStoredAsItsCentredSquareUnderAServerId()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        using var response = await http.PostAsync("/api/avatars", Form(TestImages.Png(120, 90), "portrait.png", "image/png"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;
        Assert.Matches("^a[0-9a-f]{16}$", id);
        Assert.Equal($"/api/avatars/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal(90, created.GetProperty("width").GetInt32());
        Assert.Equal(90, created.GetProperty("height").GetInt32());
        Assert.True(File.Exists(Path.Combine(server.AvatarDirectory, id + ".png")));

        var list = await http.GetFromJsonAsync<JsonElement>("/api/avatars");
        Assert.Equal(["default", id], list.EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToArray());

        // The stored image is the centred 90x90 square: its left column is source column 15 of the red ramp.
        var stored = RgbImage.Decode(await http.GetByteArrayAsync($"/api/avatars/{id}/image"));
        Assert.Equal((90, 90), (stored.Width, stored.Height));
        Assert.Equal((byte)(15 * 255 / 119), stored.Pixels[0]);
        Assert.Equal(77, stored.Pixels[2]);
    }

    [Fact]
    public async Task Upload_Jpeg_IsAccepted()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        using var response = await http.PostAsync("/api/avatars", Form(TestImages.Jpeg(64, 64), "me.jpg", "image/jpeg"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData(64)] // ~12 KB: read, then refused by the file's length
    [InlineData(160)] // ~77 KB: refused by Content-Length before reading
    public async Task Upload_Oversized_Is413AndNothingIsStored(int side)
    {
        await using var server = await ServerFixture.StartAsync(s => s["RealtimeHead:Limits:MaxUploadBytes"] = "2048");
        using var http = server.CreateAuthorizedClient();
        var big = TestImages.NoisePng(side, side);
        Assert.True(big.Length > 2048);

        using var response = await http.PostAsync("/api/avatars", Form(big, "big.png", "image/png"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("too_large", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Empty(Directory.GetFiles(server.AvatarDirectory));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("truncated-png")]
    [InlineData("empty")]
    public async Task Upload_NotAnImage_Is415(string kind)
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();
        var content = kind switch
        {
            "text" => "GIF89a? no, just text"u8.ToArray(),
            "truncated-png" => TestImages.Png(64, 64)[..60],
            _ => [],
        };

        using var response = await http.PostAsync("/api/avatars", Form(content, "x.png", "image/png"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("not_an_image", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Single(server.Get<AvatarStore>().List());
    }

    [Fact]
    public async Task Upload_TooSmall_Is400()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        using var response = await http.PostAsync("/api/avatars", Form(TestImages.Png(200, 40), "thin.png", "image/png"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("too_small", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("../../../../tmp/evil.png")]
    [InlineData("..\\..\\evil.png")]
    [InlineData("/etc/passwd")]
    [InlineData("default.png")]
    public async Task Upload_PathLikeFileName_IsIgnoredAndStoredInsideTheDirectory(string fileName)
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        using var response = await http.PostAsync("/api/avatars", Form(TestImages.Png(64, 64), fileName, "image/png"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.NotEqual("default", id);
        Assert.Equal([Path.Combine(server.AvatarDirectory, id + ".png")], Directory.GetFiles(server.AvatarDirectory));
    }

    [Fact]
    public async Task Upload_WithoutMultipart_Is415()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        using var response = await http.PostAsync("/api/avatars", new ByteArrayContent(TestImages.Png(64, 64)));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Upload_BeyondMaxAvatars_Is409()
    {
        await using var server = await ServerFixture.StartAsync(s => s["RealtimeHead:Limits:MaxAvatars"] = "1");
        using var http = server.CreateAuthorizedClient();

        using var first = await http.PostAsync("/api/avatars", Form(TestImages.Png(64, 64), "a.png", "image/png"));
        using var second = await http.PostAsync("/api/avatars", Form(TestImages.Png(64, 64), "b.png", "image/png"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task Delete_Default_Is409()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        using var response = await http.DeleteAsync("/api/avatars/default");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Single(server.Get<AvatarStore>().List());
    }

    [Fact]
    public async Task Delete_Uploaded_RemovesFileListingAndCachedEncoding()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();
        var id = server.Get<AvatarStore>().Add(TestImages.Png(64, 64)).Avatar!.Id;
        using (var lease = await server.Get<PortraitCache>().AcquireAsync(id))
        {
            Assert.NotNull(lease);
        }

        var released = server.Renderer.Released;

        using var response = await http.DeleteAsync($"/api/avatars/{id}");
        using var again = await http.DeleteAsync($"/api/avatars/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Empty(Directory.GetFiles(server.AvatarDirectory));
        Assert.Equal(released + 1, server.Renderer.Released);
        Assert.False(server.Get<AvatarStore>().TryGet(id, out _));
    }

    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("UPPER")]
    [InlineData("a.png")]
    public async Task Delete_PathLikeOrInvalidId_Is404(string id)
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.CreateAuthorizedClient();

        using var response = await http.DeleteAsync($"/api/avatars/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Api_WithoutToken_Is401()
    {
        await using var server = await ServerFixture.StartAsync();
        using var http = server.Server.CreateClient();

        using var list = await http.GetAsync("/api/avatars");
        using var upload = await http.PostAsync("/api/avatars", Form(TestImages.Png(64, 64), "a.png", "image/png"));

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
        Assert.Equal("Bearer", list.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Restart_IndexesStoredUploads()
    {
        string directory;
        string id;
        await using (var first = await ServerFixture.StartAsync())
        {
            directory = first.AvatarDirectory;
            id = first.Get<AvatarStore>().Add(TestImages.Png(80, 80)).Avatar!.Id;
            File.WriteAllText(Path.Combine(directory, "..not-an-id.png"), "x");
            File.Copy(Path.Combine(directory, id + ".png"), Path.Combine(directory, "copy.png.bak"));

            // Keep the directory past the first server's disposal.
            var keep = Path.Combine(Path.GetTempPath(), "rh-server-tests", Guid.NewGuid().ToString("N"));
            CopyDirectory(directory, keep);
            directory = keep;
        }

        await using var second = await ServerFixture.StartAsync(s => s["RealtimeHead:Avatars:Directory"] = directory);
        try
        {
            Assert.Equal(["default", id], second.Get<AvatarStore>().List().Select(a => a.Id).ToArray());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }

    private static MultipartFormDataContent Form(byte[] content, string fileName, string contentType)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }
}
