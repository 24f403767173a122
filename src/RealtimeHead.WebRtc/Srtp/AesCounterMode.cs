using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// AES in counter mode as SRTP uses it (RFC 3711 §4.1.1): block j of the keystream is
/// AES_k(IV + j) for a 128-bit IV. The counter blocks are built into a reused buffer and encrypted by
/// one ECB transform call, so steady-state use allocates nothing. Not thread-safe.
/// </summary>
internal sealed class AesCounterMode : IDisposable
{
    private const int BlockSize = 16;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private byte[] _counters;
    private byte[] _keystream;

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();

        // Enough for a 1500-byte datagram; grows on demand for anything larger.
        _counters = new byte[96 * BlockSize];
        _keystream = new byte[_counters.Length];
    }

    /// <summary>XORs the keystream that starts at <paramref name="iv"/> (16 bytes) into <paramref name="data"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        int blocks = (data.Length + BlockSize - 1) / BlockSize;
        int bytes = blocks * BlockSize;
        if (_counters.Length < bytes)
        {
            _counters = new byte[bytes];
            _keystream = new byte[bytes];
        }

        ulong high = BinaryPrimitives.ReadUInt64BigEndian(iv);
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(iv[8..]);
        Span<byte> counters = _counters.AsSpan(0, bytes);
        for (int j = 0; j < blocks; j++)
        {
            // The IV is a 128-bit integer: carry out of the low half (never happens for SRTP's
            // 2^16-aligned IVs, but keeps the primitive correct for any IV).
            ulong blockLow = low + (ulong)j;
            ulong blockHigh = blockLow < low ? high + 1 : high;
            BinaryPrimitives.WriteUInt64BigEndian(counters.Slice(j * BlockSize), blockHigh);
            BinaryPrimitives.WriteUInt64BigEndian(counters.Slice((j * BlockSize) + 8), blockLow);
        }

        _ecb.TransformBlock(_counters, 0, bytes, _keystream, 0);
        Xor(data, _keystream.AsSpan(0, data.Length));
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int words = data.Length / sizeof(ulong);
        Span<ulong> data64 = MemoryMarshal.Cast<byte, ulong>(data);
        ReadOnlySpan<ulong> key64 = MemoryMarshal.Cast<byte, ulong>(keystream);
        for (int i = 0; i < words; i++)
        {
            data64[i] ^= key64[i];
        }

        for (int i = words * sizeof(ulong); i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }
}
