namespace RealtimeHead.Corpus.Dataset;

/// <summary>A dataset file is missing, malformed or inconsistent; the message names the file and the problem.</summary>
public sealed class CorpusFormatException : IOException
{
    public CorpusFormatException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
    }

    public string FilePath { get; }
}
