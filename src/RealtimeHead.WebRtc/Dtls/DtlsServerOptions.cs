namespace RealtimeHead.WebRtc.Dtls;

/// <summary>Settings of a <see cref="DtlsServer"/>.</summary>
internal sealed record DtlsServerOptions
{
    /// <summary>
    /// How long the handshake may take from <see cref="DtlsServer.HandshakeAsync(string, CancellationToken)"/>
    /// to the client's Finished, measured on the server's <see cref="TimeProvider"/>. Default 10 s;
    /// range 1 s..2 min.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Inbound DTLS datagrams queued for the DTLS thread; more are dropped and counted. A handshake
    /// flight is a handful of datagrams. Default 64; range 4..4096.
    /// </summary>
    public int InboundQueueCapacity { get; init; } = 64;

    /// <summary>
    /// Largest datagram sent; handshake messages are fragmented to fit (RFC 6347 §4.1.1.1).
    /// Default 1200, safe on any path that carries WebRTC media; range 256..65507.
    /// </summary>
    public int MaxDatagramSize { get; init; } = 1200;

    /// <summary>Defaults.</summary>
    public static DtlsServerOptions Default { get; } = new();

    /// <summary>Throws listing every invalid value at once.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (HandshakeTimeout < TimeSpan.FromSeconds(1) || HandshakeTimeout > TimeSpan.FromMinutes(2))
        {
            errors.Add($"{nameof(HandshakeTimeout)} is {HandshakeTimeout}; use 1 s..2 min (default 10 s).");
        }

        if (InboundQueueCapacity is < 4 or > 4096)
        {
            errors.Add($"{nameof(InboundQueueCapacity)} is {InboundQueueCapacity}; use 4..4096 (default 64).");
        }

        if (MaxDatagramSize is < 256 or > 65507)
        {
            errors.Add($"{nameof(MaxDatagramSize)} is {MaxDatagramSize}; use 256..65507 (default 1200).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid DTLS server options: " + string.Join(" ", errors));
        }
    }
}
