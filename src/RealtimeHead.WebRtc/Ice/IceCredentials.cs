using System.Security.Cryptography;

namespace RealtimeHead.WebRtc.Ice;

/// <summary>
/// An ICE username fragment and password (RFC 8445 §5.3, grammar in RFC 8839 §5.4: ufrag 4–256 ice-chars,
/// password 22–256 ice-chars).
/// </summary>
internal sealed record IceCredentials(string Ufrag, string Password)
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    // Generated ufrags use only letters and digits: they key the shared-port demultiplexer and are split on ':'.
    private const string UfragChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Fresh random credentials: 8-char ufrag (48 bits), 24-char password (144 bits), RFC 8445 §5.3.</summary>
    public static IceCredentials Generate() =>
        new(RandomNumberGenerator.GetString(UfragChars, 8), RandomNumberGenerator.GetString(IceChars, 24));

    /// <summary>True when <paramref name="value"/> is 1*ice-char of length <paramref name="min"/>–256.</summary>
    public static bool IsValid(string? value, int min) =>
        value is not null && value.Length >= min && value.Length <= 256 && value.All(c => IceChars.Contains(c, StringComparison.Ordinal));

    public static bool IsValidUfrag(string? ufrag) => IsValid(ufrag, 4);

    public static bool IsValidPassword(string? password) => IsValid(password, 22);
}
