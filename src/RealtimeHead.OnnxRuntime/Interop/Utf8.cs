using System.Text;

namespace RealtimeHead.OnnxRuntime.Interop;

/// <summary>NUL-terminated UTF-8 strings for <c>const char*</c> parameters (paths and names on Linux are UTF-8).</summary>
internal static class Utf8
{
    internal static byte[] ToNullTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
