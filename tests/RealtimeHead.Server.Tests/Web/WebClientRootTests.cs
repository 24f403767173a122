using RealtimeHead.Server.Web;

namespace RealtimeHead.Server.Tests.Web;

public sealed class WebClientRootTests : IDisposable
{
    private readonly string _repo = Directory.CreateTempSubdirectory("rh-web-repo-").FullName;

    [Fact]
    public void Resolve_NotConfigured_FindsWebDistAboveTheContentRoot()
    {
        var dist = MakeDist(_repo);
        var contentRoot = Directory.CreateDirectory(Path.Combine(_repo, "src", "Server", "bin", "Release", "net10.0")).FullName;

        var root = WebClientRoot.Resolve(null, contentRoot, "/", out var searched);

        Assert.Equal(dist, root);
        Assert.Equal(Path.Combine(contentRoot, "web", "dist"), searched[0]);
        Assert.Equal(dist, searched[^1]);
    }

    [Fact]
    public void Resolve_NotConfigured_FallsBackToTheApplicationFolder()
    {
        var app = Directory.CreateDirectory(Path.Combine(_repo, "app")).FullName;
        var dist = MakeDist(app);
        var contentRoot = Directory.CreateDirectory(Path.Combine(_repo, "elsewhere")).FullName;

        Assert.Equal(dist, WebClientRoot.Resolve("  ", contentRoot, app, out _));
    }

    [Fact]
    public void Resolve_DistWithoutIndex_IsNotAClient()
    {
        Directory.CreateDirectory(Path.Combine(_repo, "web", "dist"));

        var root = WebClientRoot.Resolve(null, _repo, _repo, out var searched);

        Assert.Null(root);
        Assert.Contains(Path.Combine(_repo, "web", "dist"), searched);
        Assert.Equal(searched.Count, searched.Distinct().Count()); // the two starts share ancestors: each looked at once
    }

    [Fact]
    public void Resolve_ConfiguredRelative_ResolvesAgainstTheContentRoot()
    {
        var site = Directory.CreateDirectory(Path.Combine(_repo, "site")).FullName;
        File.WriteAllText(Path.Combine(site, "index.html"), "<!doctype html>");

        Assert.Equal(site, WebClientRoot.Resolve("site", _repo, "/", out _));
        Assert.Equal(site, WebClientRoot.Resolve(site, "/", "/", out _));
    }

    [Fact]
    public void Resolve_ConfiguredMissing_IsNullAndSaysWhere()
    {
        MakeDist(_repo); // a built client elsewhere is not used when a root is configured

        var root = WebClientRoot.Resolve("nowhere", _repo, _repo, out var searched);

        Assert.Null(root);
        Assert.Equal([Path.Combine(_repo, "nowhere")], searched);
    }

    public void Dispose() => Directory.Delete(_repo, recursive: true);

    private static string MakeDist(string under)
    {
        var dist = Directory.CreateDirectory(Path.Combine(under, "web", "dist")).FullName;
        File.WriteAllText(Path.Combine(dist, "index.html"), "<!doctype html>");
        return dist;
    }
}
