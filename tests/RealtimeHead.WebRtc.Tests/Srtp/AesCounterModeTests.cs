using System.Security.Cryptography;
using RealtimeHead.WebRtc.Srtp;
using static RealtimeHead.WebRtc.Tests.Srtp.SrtpTestPackets;

namespace RealtimeHead.WebRtc.Tests.Srtp;

public sealed class AesCounterModeTests
{
    [Fact]
    public void Apply_Rfc3711AppendixB2_ProducesListedKeystream()
    {
        // RFC 3711 Appendix B.2: session key, salt F0..FD, SSRC 0 and index 0 give IV F0F1...FD0000.
        using var cipher = new AesCounterMode(FromHex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] keystream = new byte[0xFF02 * 16];
        cipher.Apply(FromHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);

        Assert.Equal(FromHex("E03EAD0935C95E80E166B16DD92B4EB4"), keystream[..16]);
        Assert.Equal(FromHex("D23513162B02D0F72A43A2FE4A5F97AB"), keystream[16..32]);
        Assert.Equal(FromHex("41E95B3BB0A2E8DD477901E4FCA894C0"), keystream[32..48]);
        Assert.Equal(FromHex("EC8CDF7398607CB0F2D21675EA9EA1E4"), keystream[(0xFEFF * 16)..(0xFF00 * 16)]);
        Assert.Equal(FromHex("362B7C3C6773516318A077D7FC5073AE"), keystream[(0xFF00 * 16)..(0xFF01 * 16)]);
        Assert.Equal(FromHex("6A2CC3787889374FBEB4C81B17BA6C44"), keystream[(0xFF01 * 16)..(0xFF02 * 16)]);
    }

    [Fact]
    public void Apply_CounterLowWordOverflows_CarriesIntoHighWord()
    {
        byte[] key = FromHex("000102030405060708090A0B0C0D0E0F");
        using var cipher = new AesCounterMode(key);
        byte[] keystream = new byte[32];
        cipher.Apply(FromHex("0000000000000001FFFFFFFFFFFFFFFF"), keystream);

        using var aes = Aes.Create();
        aes.Key = key;
        byte[] expected = aes.EncryptEcb(FromHex("0000000000000001FFFFFFFFFFFFFFFF00000000000000020000000000000000"), PaddingMode.None);
        Assert.Equal(expected, keystream);
    }

    [Fact]
    public void Apply_Twice_RestoresOddLengthData()
    {
        using var cipher = new AesCounterMode(FromHex("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] iv = FromHex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] original = new byte[3001];
        new Random(7).NextBytes(original);
        byte[] data = (byte[])original.Clone();

        cipher.Apply(iv, data);
        Assert.NotEqual(original, data);
        cipher.Apply(iv, data);
        Assert.Equal(original, data);
    }
}
