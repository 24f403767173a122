namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// The two master keys of a DTLS-SRTP association, seen from this endpoint: <see cref="Local"/>
/// protects what we send, <see cref="Remote"/> unprotects what we receive.
/// </summary>
internal sealed class SrtpKeyingMaterial
{
    /// <summary>Bytes the DTLS exporter must produce: 2 keys and 2 salts (RFC 5764 §4.2).</summary>
    public const int ExporterLength = 2 * (SrtpProfile.KeyLength + SrtpProfile.SaltLength);

    public SrtpKeyingMaterial(SrtpMasterKey local, SrtpMasterKey remote)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        Local = local;
        Remote = remote;
    }

    /// <summary>Master key and salt for outbound packets.</summary>
    public SrtpMasterKey Local { get; }

    /// <summary>Master key and salt for inbound packets.</summary>
    public SrtpMasterKey Remote { get; }

    /// <summary>
    /// Splits the output of the DTLS exporter with label "EXTRACTOR-dtls_srtp" into the two master
    /// keys. RFC 5764 §4.2 lays it out as client_write_SRTP_master_key, server_write_SRTP_master_key,
    /// client_write_SRTP_master_salt, server_write_SRTP_master_salt; the DTLS server sends with the
    /// server halves and receives with the client halves.
    /// </summary>
    public static SrtpKeyingMaterial FromDtlsExporter(ReadOnlySpan<byte> exported, bool isDtlsServer)
    {
        if (exported.Length != ExporterLength)
        {
            throw new ArgumentException($"DTLS-SRTP keying material is {ExporterLength} bytes, got {exported.Length}.", nameof(exported));
        }

        const int K = SrtpProfile.KeyLength;
        const int S = SrtpProfile.SaltLength;
        var client = new SrtpMasterKey(exported[..K], exported.Slice(2 * K, S));
        var server = new SrtpMasterKey(exported.Slice(K, K), exported.Slice((2 * K) + S, S));
        return isDtlsServer ? new SrtpKeyingMaterial(server, client) : new SrtpKeyingMaterial(client, server);
    }
}
