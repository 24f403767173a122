using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RealtimeHead.WebRtc.Srtp;

/// <summary>
/// SRTP and SRTCP (RFC 3711) with AES_CM_128_HMAC_SHA1_80 under one master key. Packets are
/// transformed in place; every call returns a <see cref="SrtpStatus"/> and counts the outcome in
/// <see cref="Counters"/> instead of throwing, so hostile input only costs a counter increment.
/// </summary>
/// <remarks>
/// A context keeps separate per-SSRC state for what it protects and what it unprotects, so one
/// context per master key is enough; a DTLS-SRTP peer uses two (see <see cref="SrtpSession"/>).
/// RTP calls serialise on one lock and RTCP calls on another (their session keys differ), so an
/// RTP sender thread and an RTCP thread never wait on each other. Steady-state calls allocate
/// nothing: counter blocks, keystream and HMAC state are reused.
/// </remarks>
internal sealed class SrtpContext : IDisposable
{
    private const int RtpHeaderMinLength = 12;
    private const int RtcpHeaderLength = 8;
    private const long MaxSrtpIndex = (1L << 48) - 1;
    private const uint MaxSrtcpIndex = 0x7FFF_FFFF;
    private const uint SrtcpEncryptedFlag = 0x8000_0000;

    private readonly SrtpContextOptions _options;
    private readonly SessionKeys _rtp;
    private readonly SessionKeys _rtcp;
    private readonly Lock _rtpLock = new();
    private readonly Lock _rtcpLock = new();
    private readonly Dictionary<uint, SenderState> _rtpSenders = [];
    private readonly Dictionary<uint, ReplayWindow> _rtpReceivers = [];
    private readonly Dictionary<uint, SenderState> _rtcpSenders = [];
    private readonly Dictionary<uint, ReplayWindow> _rtcpReceivers = [];

    public SrtpContext(SrtpMasterKey masterKey, SrtpContextOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        _options = options ?? SrtpContextOptions.Default;
        _options.Validate();

        using var prf = new AesCounterMode(masterKey.Key);
        _rtp = new SessionKeys(prf, masterKey.Salt, SrtpKeyDerivation.RtpEncryptionLabel,
            SrtpKeyDerivation.RtpAuthenticationLabel, SrtpKeyDerivation.RtpSaltLabel);
        _rtcp = new SessionKeys(prf, masterKey.Salt, SrtpKeyDerivation.RtcpEncryptionLabel,
            SrtpKeyDerivation.RtcpAuthenticationLabel, SrtpKeyDerivation.RtcpSaltLabel);
    }

    /// <summary>Totals of transformed and dropped packets.</summary>
    public SrtpCounters Counters { get; } = new();

    /// <summary>
    /// Protects the RTP packet in <c>buffer[..length]</c> in place (RFC 3711 §3.3): encrypts the
    /// payload and appends the 10-byte tag. <paramref name="buffer"/> needs
    /// <see cref="SrtpProfile.RtpOverhead"/> spare bytes. The same sequence number may be protected
    /// again (an RTX/NACK resend) and yields the same bytes, so there is no replay check here.
    /// </summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || !TryGetRtpHeaderLength(buffer[..length], out int headerLength))
        {
            return Counters.Count(SrtpStatus.Malformed, rtcp: false, protect: true);
        }

        if (buffer.Length - length < SrtpProfile.RtpOverhead)
        {
            return Counters.Count(SrtpStatus.BufferTooSmall, rtcp: false, protect: true);
        }

        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        lock (_rtpLock)
        {
            long index;
            if (_rtpSenders.TryGetValue(ssrc, out SenderState? sender))
            {
                // The sender's ROC follows its own sequence numbers (RFC 3711 §3.3.1); estimating
                // against the highest index sent puts a resend of an older packet in its original ROC.
                index = EstimateIndex(sender.Highest, sequence);
                if (index < 0)
                {
                    return Counters.Count(SrtpStatus.ReplayTooOld, rtcp: false, protect: true);
                }
            }
            else
            {
                if (_rtpSenders.Count >= _options.MaxStreams)
                {
                    return Counters.Count(SrtpStatus.StreamLimitReached, rtcp: false, protect: true);
                }

                sender = new SenderState { Highest = sequence };
                _rtpSenders.Add(ssrc, sender);
                index = sequence;
            }

            if (index > MaxSrtpIndex)
            {
                return Counters.Count(SrtpStatus.IndexExhausted, rtcp: false, protect: true);
            }

            sender.Highest = Math.Max(sender.Highest, index);
            _rtp.Crypt(ssrc, index, buffer[headerLength..length]);
            _rtp.WriteTag(buffer[..length], rollover: (uint)(index >> 16), buffer.Slice(length, SrtpProfile.AuthTagLength));
        }

        protectedLength = length + SrtpProfile.RtpOverhead;
        return Counters.Count(SrtpStatus.Ok, rtcp: false, protect: true);
    }

    /// <summary>
    /// Verifies and decrypts the SRTP packet <paramref name="packet"/> in place (RFC 3711 §3.3):
    /// index estimation, replay check, tag check, then decryption. On success the RTP packet is
    /// <c>packet[..plainLength]</c>; on failure the bytes are unchanged.
    /// </summary>
    public SrtpStatus UnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        int authenticatedLength = packet.Length - SrtpProfile.AuthTagLength;
        if (authenticatedLength < RtpHeaderMinLength || !TryGetRtpHeaderLength(packet[..authenticatedLength], out int headerLength))
        {
            return Counters.Count(SrtpStatus.Malformed, rtcp: false, protect: false);
        }

        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        lock (_rtpLock)
        {
            // RFC 3711 §3.3.1: the first packet of a stream sets s_l = SEQ and ROC = 0.
            _rtpReceivers.TryGetValue(ssrc, out ReplayWindow? window);
            long index = window is null ? sequence : EstimateIndex(window.Highest, sequence);
            SrtpStatus replay = window?.Check(index) ?? SrtpStatus.Ok;
            if (replay != SrtpStatus.Ok)
            {
                return Counters.Count(replay, rtcp: false, protect: false);
            }

            if (index < 0)
            {
                return Counters.Count(SrtpStatus.ReplayTooOld, rtcp: false, protect: false);
            }

            if (!_rtp.VerifyTag(packet[..authenticatedLength], rollover: (uint)(index >> 16), packet[authenticatedLength..]))
            {
                return Counters.Count(SrtpStatus.AuthenticationFailed, rtcp: false, protect: false);
            }

            if (window is null)
            {
                if (_rtpReceivers.Count >= _options.MaxStreams)
                {
                    return Counters.Count(SrtpStatus.StreamLimitReached, rtcp: false, protect: false);
                }

                window = new ReplayWindow(_options.ReplayWindowSize);
                _rtpReceivers.Add(ssrc, window);
            }

            // Only an authenticated packet moves the window and the ROC (RFC 3711 §3.3.1, §3.3.2).
            window.Accept(index);
            _rtp.Crypt(ssrc, index, packet[headerLength..authenticatedLength]);
        }

        plainLength = authenticatedLength;
        return Counters.Count(SrtpStatus.Ok, rtcp: false, protect: false);
    }

    /// <summary>
    /// Protects the (compound) RTCP packet in <c>buffer[..length]</c> in place (RFC 3711 §3.4):
    /// encrypts everything after the first 8 bytes, appends E=1 with the 31-bit SRTCP index and the
    /// tag. <paramref name="buffer"/> needs <see cref="SrtpProfile.RtcpOverhead"/> spare bytes.
    /// </summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || !IsRtcpHeader(buffer[..length]))
        {
            return Counters.Count(SrtpStatus.Malformed, rtcp: true, protect: true);
        }

        if (buffer.Length - length < SrtpProfile.RtcpOverhead)
        {
            return Counters.Count(SrtpStatus.BufferTooSmall, rtcp: true, protect: true);
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        lock (_rtcpLock)
        {
            if (!_rtcpSenders.TryGetValue(ssrc, out SenderState? sender))
            {
                if (_rtcpSenders.Count >= _options.MaxStreams)
                {
                    return Counters.Count(SrtpStatus.StreamLimitReached, rtcp: true, protect: true);
                }

                // RFC 3711 §3.4: the SRTCP index starts at zero.
                sender = new SenderState { Highest = -1 };
                _rtcpSenders.Add(ssrc, sender);
            }

            if (sender.Highest >= MaxSrtcpIndex)
            {
                return Counters.Count(SrtpStatus.IndexExhausted, rtcp: true, protect: true);
            }

            uint index = (uint)(++sender.Highest);
            _rtcp.Crypt(ssrc, index, buffer[RtcpHeaderLength..length]);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], SrtcpEncryptedFlag | index);
            int authenticatedLength = length + SrtpProfile.SrtcpIndexLength;
            _rtcp.WriteTag(buffer[..authenticatedLength], rollover: null, buffer.Slice(authenticatedLength, SrtpProfile.AuthTagLength));
        }

        protectedLength = length + SrtpProfile.RtcpOverhead;
        return Counters.Count(SrtpStatus.Ok, rtcp: true, protect: true);
    }

    /// <summary>
    /// Verifies and decrypts the SRTCP packet <paramref name="packet"/> in place (RFC 3711 §3.4).
    /// A packet with E=0 is authenticated but left as sent. On success the RTCP packet is
    /// <c>packet[..plainLength]</c>.
    /// </summary>
    public SrtpStatus UnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        int authenticatedLength = packet.Length - SrtpProfile.AuthTagLength;
        int rtcpLength = authenticatedLength - SrtpProfile.SrtcpIndexLength;
        if (rtcpLength < RtcpHeaderLength || !IsRtcpHeader(packet))
        {
            return Counters.Count(SrtpStatus.Malformed, rtcp: true, protect: false);
        }

        uint word = BinaryPrimitives.ReadUInt32BigEndian(packet[rtcpLength..]);
        bool encrypted = (word & SrtcpEncryptedFlag) != 0;
        uint index = word & MaxSrtcpIndex;
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        lock (_rtcpLock)
        {
            _rtcpReceivers.TryGetValue(ssrc, out ReplayWindow? window);
            SrtpStatus replay = window?.Check(index) ?? SrtpStatus.Ok;
            if (replay != SrtpStatus.Ok)
            {
                return Counters.Count(replay, rtcp: true, protect: false);
            }

            if (!_rtcp.VerifyTag(packet[..authenticatedLength], rollover: null, packet[authenticatedLength..]))
            {
                return Counters.Count(SrtpStatus.AuthenticationFailed, rtcp: true, protect: false);
            }

            if (window is null)
            {
                if (_rtcpReceivers.Count >= _options.MaxStreams)
                {
                    return Counters.Count(SrtpStatus.StreamLimitReached, rtcp: true, protect: false);
                }

                window = new ReplayWindow(_options.ReplayWindowSize);
                _rtcpReceivers.Add(ssrc, window);
            }

            window.Accept(index);
            if (encrypted)
            {
                _rtcp.Crypt(ssrc, index, packet[RtcpHeaderLength..rtcpLength]);
            }
        }

        plainLength = rtcpLength;
        return Counters.Count(SrtpStatus.Ok, rtcp: true, protect: false);
    }

    /// <summary>
    /// The packet index a sequence number most likely belongs to, given the highest index seen
    /// (RFC 3711 §3.3.1 and Appendix A, with s_l and ROC taken from that index). Negative when the
    /// guess would need a ROC below zero.
    /// </summary>
    internal static long EstimateIndex(long highest, ushort sequence)
    {
        long rollover = highest >> 16;
        int last = (int)(highest & 0xFFFF);
        long guessedRollover;
        if (last < 0x8000)
        {
            guessedRollover = sequence - last > 0x8000 ? rollover - 1 : rollover;
        }
        else
        {
            guessedRollover = last - 0x8000 > sequence ? rollover + 1 : rollover;
        }

        return guessedRollover < 0 ? -1 : (guessedRollover << 16) | sequence;
    }

    /// <summary>
    /// Length of the RTP header including CSRCs and the header extension (RFC 3550 §5.1, §5.3.1):
    /// the part SRTP leaves in clear. False when it is not RTP version 2 or runs past the packet.
    /// </summary>
    internal static bool TryGetRtpHeaderLength(ReadOnlySpan<byte> packet, out int headerLength)
    {
        headerLength = 0;
        if (packet.Length < RtpHeaderMinLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        int length = RtpHeaderMinLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return false;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        if (length > packet.Length)
        {
            return false;
        }

        headerLength = length;
        return true;
    }

    private static bool IsRtcpHeader(ReadOnlySpan<byte> packet) => packet.Length >= RtcpHeaderLength && packet[0] >> 6 == 2;

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private sealed class SenderState
    {
        /// <summary>Highest SRTP index protected, or the last SRTCP index used.</summary>
        public long Highest;
    }

    /// <summary>Encryption, authentication and salt keys of one packet kind (RFC 3711 §4.3.1/§4.3.2).</summary>
    private sealed class SessionKeys : IDisposable
    {
        private readonly AesCounterMode _cipher;
        private readonly IncrementalHash _hmac;
        private readonly byte[] _salt = new byte[SrtpProfile.SaltLength];

        public SessionKeys(AesCounterMode prf, ReadOnlySpan<byte> masterSalt, byte encryptionLabel, byte authenticationLabel, byte saltLabel)
        {
            Span<byte> key = stackalloc byte[SrtpProfile.KeyLength];
            Span<byte> authKey = stackalloc byte[SrtpProfile.AuthKeyLength];
            SrtpKeyDerivation.DeriveSessionKey(prf, masterSalt, encryptionLabel, key);
            SrtpKeyDerivation.DeriveSessionKey(prf, masterSalt, authenticationLabel, authKey);
            SrtpKeyDerivation.DeriveSessionKey(prf, masterSalt, saltLabel, _salt);
            _cipher = new AesCounterMode(key);
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(authKey);
        }

        /// <summary>
        /// AES-CM over <paramref name="data"/> with IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR
        /// (index * 2^16) (RFC 3711 §4.1.1); the same call encrypts and decrypts.
        /// </summary>
        public void Crypt(uint ssrc, long index, Span<byte> data)
        {
            Span<byte> iv = stackalloc byte[16];
            _salt.CopyTo(iv);
            iv[4] ^= (byte)(ssrc >> 24);
            iv[5] ^= (byte)(ssrc >> 16);
            iv[6] ^= (byte)(ssrc >> 8);
            iv[7] ^= (byte)ssrc;
            iv[8] ^= (byte)(index >> 40);
            iv[9] ^= (byte)(index >> 32);
            iv[10] ^= (byte)(index >> 24);
            iv[11] ^= (byte)(index >> 16);
            iv[12] ^= (byte)(index >> 8);
            iv[13] ^= (byte)index;
            _cipher.Apply(iv, data);
        }

        /// <summary>
        /// HMAC-SHA1 over the authenticated portion, followed by the ROC for SRTP (RFC 3711 §4.2,
        /// M = portion || ROC), truncated to 80 bits.
        /// </summary>
        public void WriteTag(ReadOnlySpan<byte> authenticated, uint? rollover, Span<byte> tag)
        {
            Span<byte> digest = stackalloc byte[20];
            ComputeDigest(authenticated, rollover, digest);
            digest[..SrtpProfile.AuthTagLength].CopyTo(tag);
        }

        public bool VerifyTag(ReadOnlySpan<byte> authenticated, uint? rollover, ReadOnlySpan<byte> tag)
        {
            Span<byte> digest = stackalloc byte[20];
            ComputeDigest(authenticated, rollover, digest);
            return CryptographicOperations.FixedTimeEquals(digest[..SrtpProfile.AuthTagLength], tag);
        }

        private void ComputeDigest(ReadOnlySpan<byte> authenticated, uint? rollover, Span<byte> digest)
        {
            _hmac.AppendData(authenticated);
            if (rollover is uint roc)
            {
                Span<byte> rocBytes = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
                _hmac.AppendData(rocBytes);
            }

            _hmac.GetHashAndReset(digest);
        }

        public void Dispose()
        {
            _cipher.Dispose();
            _hmac.Dispose();
            CryptographicOperations.ZeroMemory(_salt);
        }
    }
}
