namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// The SRTP key derivation function (RFC 3711 §4.3) with key_derivation_rate 0, the only rate
/// DTLS-SRTP uses (RFC 5764 §4.1.2 does not signal one), so each session key is derived once.
/// </summary>
internal static class SrtpKeyDerivation
{
    /// <summary>Labels of RFC 3711 §4.3.1 (SRTP) and §4.3.2 (SRTCP).</summary>
    public const byte RtpEncryptionLabel = 0;
    public const byte RtpAuthenticationLabel = 1;
    public const byte RtpSaltLabel = 2;
    public const byte RtcpEncryptionLabel = 3;
    public const byte RtcpAuthenticationLabel = 4;
    public const byte RtcpSaltLabel = 5;

    /// <summary>
    /// Fills <paramref name="output"/> with the session key for <paramref name="label"/>:
    /// x = (label * 2^48) XOR master_salt, then the AES-CM keystream of the master key at IV x * 2^16
    /// (RFC 3711 §4.3.1, PRF of §4.3.3), truncated to the output length.
    /// </summary>
    public static void DeriveSessionKey(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterKey.Length != SrtpProfile.KeyLength || masterSalt.Length != SrtpProfile.SaltLength)
        {
            throw new ArgumentException("SRTP master key must be 16 bytes and master salt 14 bytes.");
        }

        using var prf = new AesCounterMode(masterKey);
        DeriveSessionKey(prf, masterSalt, label, output);
    }

    internal static void DeriveSessionKey(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        Span<byte> iv = stackalloc byte[16];
        masterSalt.CopyTo(iv);

        // key_id = label || r with r = 0 (48 bits): the label lands on bit 48..55 of the 112-bit salt.
        iv[7] ^= label;
        output.Clear();
        prf.Apply(iv, output);
    }
}
