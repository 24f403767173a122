using System.Buffers.Binary;
using System.Text;

namespace RealtimeHead.Torch.Tests.Serialization;

/// <summary>Builds safetensors files byte by byte, as the format's README lays them out.</summary>
internal static class SafeTensorsBytes
{
    /// <summary>
    /// 8-byte little-endian header length, the UTF-8 JSON header padded with spaces to a multiple of 8
    /// (what huggingface/safetensors' serializer does), then the data section.
    /// </summary>
    public static byte[] Build(string json, ReadOnlySpan<byte> data, bool pad = true)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var headerLength = pad ? (header.Length + 7) / 8 * 8 : header.Length;
        var file = new byte[8 + headerLength + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerLength);
        header.CopyTo(file, 8);
        file.AsSpan(8 + header.Length, headerLength - header.Length).Fill((byte)' ');
        data.CopyTo(file.AsSpan(8 + headerLength));
        return file;
    }

    /// <summary>The raw bytes of a tensor (row-major, little-endian), read through the binding.</summary>
    public static byte[] RawBytes(torch.Tensor tensor)
    {
        var bytes = new byte[tensor.numel() * tensor.ElementSize];
        tensor.CopyTo(bytes);
        return bytes;
    }
}
