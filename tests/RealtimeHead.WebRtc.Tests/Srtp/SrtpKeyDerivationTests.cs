using RealtimeHead.WebRtc.Srtp;
using static RealtimeHead.WebRtc.Tests.Srtp.SrtpTestPackets;

namespace RealtimeHead.WebRtc.Tests.Srtp;

public sealed class SrtpKeyDerivationTests
{
    private static readonly byte[] MasterKey = FromHex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = FromHex("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void DeriveSessionKey_Rfc3711AppendixB3_MatchesCipherKeyAndSalt()
    {
        byte[] cipherKey = new byte[16];
        byte[] cipherSalt = new byte[14];
        SrtpKeyDerivation.DeriveSessionKey(MasterKey, MasterSalt, SrtpKeyDerivation.RtpEncryptionLabel, cipherKey);
        SrtpKeyDerivation.DeriveSessionKey(MasterKey, MasterSalt, SrtpKeyDerivation.RtpSaltLabel, cipherSalt);

        Assert.Equal(FromHex("C61E7A93744F39EE10734AFE3FF7A087"), cipherKey);
        Assert.Equal(FromHex("30CBBC08863D8C85D49DB34A9AE1"), cipherSalt);
    }

    [Fact]
    public void DeriveSessionKey_Rfc3711AppendixB3_MatchesLongAuthenticationKey()
    {
        // B.3 lists 94 bytes of the label-1 keystream; SHA1-80 uses the first 20.
        byte[] authKey = new byte[94];
        SrtpKeyDerivation.DeriveSessionKey(MasterKey, MasterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, authKey);

        Assert.Equal(
            FromHex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA48F0A0ACF3C34E2359E6CDBCE"
                + "E049646C43D9327AD175578EF72270986371C10C9A369AC2F94A8C5FBCDDDC25"
                + "6D6E919A48B610EF17C2041E474035766B68642C59BBFC2F34DB60DBDFB2"),
            authKey);
    }

    [Fact]
    public void DeriveSessionKey_RtcpLabels_DifferFromRtpLabels()
    {
        byte[] rtp = new byte[16];
        byte[] rtcp = new byte[16];
        SrtpKeyDerivation.DeriveSessionKey(MasterKey, MasterSalt, SrtpKeyDerivation.RtpEncryptionLabel, rtp);
        SrtpKeyDerivation.DeriveSessionKey(MasterKey, MasterSalt, SrtpKeyDerivation.RtcpEncryptionLabel, rtcp);

        Assert.NotEqual(rtp, rtcp);
    }

    [Theory]
    [InlineData(15, 14)]
    [InlineData(16, 16)]
    public void DeriveSessionKey_WrongMasterLengths_Throws(int keyLength, int saltLength)
    {
        Assert.Throws<ArgumentException>(() =>
            SrtpKeyDerivation.DeriveSessionKey(new byte[keyLength], new byte[saltLength], 0, new byte[16]));
    }
}
