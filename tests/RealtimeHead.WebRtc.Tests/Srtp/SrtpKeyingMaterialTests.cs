using RealtimeHead.WebRtc.Srtp;

namespace RealtimeHead.WebRtc.Tests.Srtp;

public sealed class SrtpKeyingMaterialTests
{
    private static byte[] Exported()
    {
        // 0..59: client key 0..15, server key 16..31, client salt 32..45, server salt 46..59.
        byte[] material = new byte[60];
        for (int i = 0; i < material.Length; i++)
        {
            material[i] = (byte)i;
        }

        return material;
    }

    [Fact]
    public void FromDtlsExporter_DtlsServer_SendsWithServerHalves()
    {
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.FromDtlsExporter(Exported(), isDtlsServer: true);

        Assert.Equal(Enumerable.Range(16, 16).Select(i => (byte)i), keys.Local.Key.ToArray());
        Assert.Equal(Enumerable.Range(46, 14).Select(i => (byte)i), keys.Local.Salt.ToArray());
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), keys.Remote.Key.ToArray());
        Assert.Equal(Enumerable.Range(32, 14).Select(i => (byte)i), keys.Remote.Salt.ToArray());
    }

    [Fact]
    public void FromDtlsExporter_DtlsClient_SendsWithClientHalves()
    {
        SrtpKeyingMaterial keys = SrtpKeyingMaterial.FromDtlsExporter(Exported(), isDtlsServer: false);

        Assert.Equal(Enumerable.Range(0, 16).Select(i => (byte)i), keys.Local.Key.ToArray());
        Assert.Equal(Enumerable.Range(32, 14).Select(i => (byte)i), keys.Local.Salt.ToArray());
        Assert.Equal(Enumerable.Range(16, 16).Select(i => (byte)i), keys.Remote.Key.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(59)]
    [InlineData(61)]
    public void FromDtlsExporter_WrongLength_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => SrtpKeyingMaterial.FromDtlsExporter(new byte[length], isDtlsServer: true));
    }
}
