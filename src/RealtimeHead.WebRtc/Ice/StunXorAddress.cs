using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>XOR-MAPPED-ADDRESS encoding (RFC 8489 §14.2) for IPv4 and IPv6.</summary>
internal static class StunXorAddress
{
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    /// <summary>Encodes the endpoint; IPv4-mapped IPv6 (from dual-mode sockets) is written as IPv4.</summary>
    public static byte[] Encode(IPEndPoint endPoint, ReadOnlySpan<byte> transactionId)
    {
        IPAddress address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        bool v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var value = new byte[v4 ? 8 : 20];
        value[1] = v4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2), (ushort)(endPoint.Port ^ (StunMessage.MagicCookie >> 16)));
        address.TryWriteBytes(value.AsSpan(4), out _);
        XorAddress(value.AsSpan(4), transactionId);
        return value;
    }

    public static bool TryDecode(ReadOnlySpan<byte> value, ReadOnlySpan<byte> transactionId, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (value.Length < 4)
        {
            return false;
        }

        int addressLength = value[1] switch
        {
            FamilyIPv4 => 4,
            FamilyIPv6 => 16,
            _ => -1,
        };
        if (addressLength < 0 || value.Length != 4 + addressLength)
        {
            return false;
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(StunMessage.MagicCookie >> 16);
        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        XorAddress(address, transactionId);
        endPoint = new IPEndPoint(new IPAddress(address), port);
        return true;
    }

    // The address is XOR'ed with the magic cookie, then (IPv6 only) with the transaction id.
    private static void XorAddress(Span<byte> address, ReadOnlySpan<byte> transactionId)
    {
        Span<byte> pad = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(pad, StunMessage.MagicCookie);
        transactionId.CopyTo(pad[4..]);
        for (int i = 0; i < address.Length; i++)
        {
            address[i] ^= pad[i];
        }
    }
}
