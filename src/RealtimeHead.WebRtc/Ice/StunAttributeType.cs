namespace RealtimeHead.WebRtc.Ice;

/// <summary>STUN attribute type codes used by ICE (RFC 8489 §18.3, RFC 8445 §16.1).</summary>
internal static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;
}

/// <summary>One attribute as found on the wire; <see cref="Value"/> excludes the padding.</summary>
internal readonly record struct StunAttribute(ushort Type, ReadOnlyMemory<byte> Value, int Offset);
