using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Corpus.Tests.TestSupport;

namespace RealtimeHead.Corpus.Tests.Dataset;

public sealed class CorpusReaderTests : IDisposable
{
    private readonly TempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    private string Manifest(string json)
    {
        File.WriteAllText(temp.Sub(DatasetFormat.ManifestFile), json);
        return temp.Path;
    }

    [Fact]
    public void Open_MissingManifest_ThrowsNamingFile()
    {
        var error = Assert.Throws<CorpusFormatException>(() => CorpusReader.Open(temp.Path));
        Assert.EndsWith("corpus.json", error.FilePath);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Open_MalformedJson_ThrowsNamingFile()
    {
        var error = Assert.Throws<CorpusFormatException>(() => CorpusReader.Open(Manifest("{ \"format\": ")));
        Assert.Contains("malformed JSON", error.Message);
        Assert.Contains("corpus.json", error.Message);
    }

    [Fact]
    public void Open_OtherFormatOrVersion_Throws()
    {
        const string Template = "{{\"format\":\"{0}\",\"version\":{1},\"fps\":25,\"sampleRate\":16000,\"width\":8,\"height\":8,\"clips\":[]}}";
        Assert.Contains("format", Assert.Throws<CorpusFormatException>(() => CorpusReader.Open(Manifest(string.Format(Template, "other", 1)))).Message);
        Assert.Contains("version 2", Assert.Throws<CorpusFormatException>(() => CorpusReader.Open(Manifest(string.Format(Template, DatasetFormat.Name, 2)))).Message);
        Assert.Empty(CorpusReader.Open(Manifest(string.Format(Template, DatasetFormat.Name, 1))).Manifest.Clips);
    }

    [Fact]
    public void ReadTrack_WrongFrameCount_ThrowsNamingTrack()
    {
        var root = Manifest($"{{\"format\":\"{DatasetFormat.Name}\",\"version\":1,\"fps\":25,\"sampleRate\":16000,\"width\":8,\"height\":8,\"clips\":[{{\"id\":\"a\",\"identity\":\"p\",\"path\":\"clips/a\",\"frameCount\":2}}]}}");
        Directory.CreateDirectory(Path.Combine(root, "clips", "a"));
        File.WriteAllText(Path.Combine(root, "clips", "a", "track.json"), "{\"clip\":\"a\",\"identity\":\"p\",\"fps\":25,\"sampleRate\":16000,\"width\":8,\"height\":8,\"frameCount\":1,\"intrinsics\":{\"fx\":1,\"fy\":1,\"cx\":4,\"cy\":4},\"frames\":[]}");

        var reader = CorpusReader.Open(root);
        var error = Assert.Throws<CorpusFormatException>(() => reader.ReadTrack(reader.Manifest.Clips[0]));
        Assert.EndsWith("track.json", error.FilePath);
        Assert.Contains("expected 2 frames", error.Message);
    }
}
