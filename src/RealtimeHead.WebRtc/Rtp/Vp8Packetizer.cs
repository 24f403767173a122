namespace RealtimeHead.WebRtc.Rtp;

/// <summary>
/// Splits encoded VP8 frames into RTP payloads (RFC 7741 §4): every payload starts with a descriptor that
/// carries a 15-bit picture id (incremented per frame, so the receiver can tell frames apart and detect loss),
/// the first payload of a frame has S = 1, and the caller sets the RTP marker on the last one.
/// Not thread-safe: one per outbound video stream.
/// </summary>
internal sealed class Vp8Packetizer
{
    private const int DescriptorLength = 4; // X byte, I byte, two bytes of 15-bit picture id.
    private readonly int _maxPayloadSize;
    private ushort _pictureId;

    public Vp8Packetizer(Vp8PacketizerOptions? options = null)
    {
        options ??= new Vp8PacketizerOptions();
        options.ThrowIfInvalid();
        _maxPayloadSize = options.MaxPayloadSize;
        _pictureId = options.InitialPictureId ?? (ushort)Random.Shared.Next(0x8000);
    }

    /// <summary>Picture id the next frame gets.</summary>
    public ushort NextPictureId => _pictureId;

    /// <summary>
    /// Splits one encoded frame into payloads of at most <see cref="Vp8PacketizerOptions.MaxPayloadSize"/> bytes,
    /// of near-equal size so the last packet is not a runt. The last payload must go out with the RTP marker set.
    /// </summary>
    public IReadOnlyList<byte[]> Packetize(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
        {
            return [];
        }

        var maxChunk = _maxPayloadSize - DescriptorLength;
        var count = (frame.Length + maxChunk - 1) / maxChunk;
        var payloads = new byte[count][];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            // Spread the remainder over the first packets: sizes differ by at most one byte.
            var chunk = (frame.Length / count) + (i < frame.Length % count ? 1 : 0);
            var descriptor = new Vp8PayloadDescriptor
            {
                StartOfPartition = i == 0,
                PictureId = _pictureId,
                LongPictureId = true,
            };
            var payload = new byte[DescriptorLength + chunk];
            descriptor.WriteTo(payload);
            frame.Slice(offset, chunk).CopyTo(payload.AsSpan(DescriptorLength));
            offset += chunk;
            payloads[i] = payload;
        }

        _pictureId = (ushort)((_pictureId + 1) & 0x7FFF);
        return payloads;
    }

    /// <summary>
    /// RFC 7741 §4.3: the first byte of the VP8 payload header has P = 0 on key frames.
    /// <paramref name="frame"/> is the encoded frame (not an RTP payload).
    /// </summary>
    public static bool IsKeyframe(ReadOnlySpan<byte> frame) => !frame.IsEmpty && (frame[0] & 0x01) == 0;
}
