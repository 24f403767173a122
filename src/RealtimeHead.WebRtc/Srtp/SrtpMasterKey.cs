namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// One direction's SRTP master key and master salt (RFC 3711 §3.2.1) for
/// <see cref="SrtpProfile"/>. Immutable; the arrays are copies owned by this instance.
/// </summary>
internal sealed class SrtpMasterKey
{
    private readonly byte[] _key;
    private readonly byte[] _salt;

    public SrtpMasterKey(ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt)
    {
        if (key.Length != SrtpProfile.KeyLength)
        {
            throw new ArgumentException($"An SRTP master key is {SrtpProfile.KeyLength} bytes, got {key.Length}.", nameof(key));
        }

        if (salt.Length != SrtpProfile.SaltLength)
        {
            throw new ArgumentException($"An SRTP master salt is {SrtpProfile.SaltLength} bytes, got {salt.Length}.", nameof(salt));
        }

        _key = key.ToArray();
        _salt = salt.ToArray();
    }

    /// <summary>The 16-byte AES master key.</summary>
    public ReadOnlySpan<byte> Key => _key;

    /// <summary>The 14-byte master salt.</summary>
    public ReadOnlySpan<byte> Salt => _salt;
}
