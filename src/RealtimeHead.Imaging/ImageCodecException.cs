namespace RealtimeHead.Imaging;

/// <summary>
/// An image could not be decoded or encoded: corrupt or truncated data, an unsupported format, or a native
/// library error. <see cref="Exception.Message"/> names the file (or "&lt;memory&gt;") and the reason.
/// </summary>
public sealed class ImageCodecException : IOException
{
    public ImageCodecException(string fileName, string reason, Exception? inner = null)
        : base($"{fileName}: {reason}", inner)
    {
        FileName = fileName;
        Reason = reason;
    }

    /// <summary>The file name, or "&lt;memory&gt;" for in-memory data.</summary>
    public string FileName { get; }

    /// <summary>The reason without the source prefix.</summary>
    public string Reason { get; }
}
