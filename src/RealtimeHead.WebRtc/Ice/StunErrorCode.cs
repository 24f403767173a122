using System.Text;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>The ERROR-CODE attribute (RFC 8489 §14.8): a 300–699 code and a UTF-8 reason phrase.</summary>
internal readonly record struct StunErrorCode(int Code, string Reason)
{
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int RoleConflict = 487;

    // RFC 8489 §14.8: the reason phrase is at most 127 characters (763 bytes).
    private const int MaxReasonBytes = 763;

    public static bool TryDecode(ReadOnlySpan<byte> value, out StunErrorCode errorCode)
    {
        errorCode = default;
        if (value.Length < 4)
        {
            return false;
        }

        int hundreds = value[2] & 0x07;
        int number = value[3];
        if (hundreds < 3 || hundreds > 6 || number > 99)
        {
            return false;
        }

        string reason;
        try
        {
            reason = new UTF8Encoding(false, true).GetString(value[4..]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        errorCode = new StunErrorCode((hundreds * 100) + number, reason);
        return true;
    }

    public byte[] Encode()
    {
        if (Code < 300 || Code > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(Code), Code, "STUN error codes are 300-699 (RFC 8489 §14.8).");
        }

        byte[] reason = Encoding.UTF8.GetBytes(Reason);
        int reasonLength = Math.Min(reason.Length, MaxReasonBytes);
        var value = new byte[4 + reasonLength];
        value[2] = (byte)(Code / 100);
        value[3] = (byte)(Code % 100);
        reason.AsSpan(0, reasonLength).CopyTo(value.AsSpan(4));
        return value;
    }
}
