using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using RealtimeHead.WebRtc.Ice;
using RealtimeHead.WebRtc.Sdp;

namespace RealtimeHead.WebRtc.Tests.Ice;

/// <summary>
/// Headless Chromium against the SDP answerer and the ICE-lite agent over loopback: Chromium must accept
/// our answer (with its data channel section rejected) and reach ICE "connected" through our Binding
/// responses, nominating our candidate. DTLS is
/// not run here (another layer); its ClientHello must still be routed to the session by endpoint.
/// </summary>
[Trait("Category", "Browser")]
public sealed class ChromiumIceLiteInteropTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private const string OfferScript = """
        async () => {
          const pc = new RTCPeerConnection();
          window.pc = pc;
          pc.addTransceiver('audio', { direction: 'sendrecv' });
          pc.addTransceiver('video', { direction: 'recvonly' });
          pc.createDataChannel('rejected-by-server');
          await pc.setLocalDescription();
          await new Promise(resolve => {
            if (pc.iceGatheringState === 'complete') { resolve(); return; }
            pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') resolve(); });
            setTimeout(resolve, 3000);
          });
          return pc.localDescription.sdp;
        }
        """;

    private const string AnswerScript = """
        async (sdp) => {
          await window.pc.setRemoteDescription({ type: 'answer', sdp });
          const deadline = Date.now() + 10000;
          while (Date.now() < deadline) {
            const state = window.pc.iceConnectionState;
            if (state === 'connected' || state === 'completed' || state === 'failed') return state;
            await new Promise(r => setTimeout(r, 50));
          }
          return 'timeout:' + window.pc.iceConnectionState;
        }
        """;

    [Fact]
    public async Task Chromium_AcceptsAnswerAndConnectsToIceLiteAgent()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing; run ./setup.sh deps (Debian package 'chromium').");

        using var socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)socket.Client.LocalEndPoint!).Port;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--allow-loopback-in-peer-connection", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();

        string offer = await page.EvaluateAsync<string>(OfferScript);
        var local = new LocalSdpParameters(
            IceCredentials.Generate(),
            new SdpFingerprint("sha-256", new byte[32]),
            IceCandidate.CreateHostCandidates([IPAddress.Loopback], port));
        var result = SdpAnswerer.Negotiate(offer, local);
        Assert.True(result.IsAccepted, result.Message);
        Assert.Equal(3, result.Answer!.Media.Count);
        Assert.Equal(0, result.Answer.Media[2].Port);

        var demux = new IceUfragDemultiplexer<IceLiteAgent>();
        using var agent = new IceLiteAgent(local.Ice, result.Session!.RemoteIceUfrag, new IceOptions(), TimeProvider.System, NullLogger<IceLiteAgent>.Instance);
        Assert.True(demux.TryRegister(agent.LocalUfrag, agent));
        int dtlsRouted = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                UdpReceiveResult datagram;
                try
                {
                    datagram = await socket.ReceiveAsync(stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                var routed = demux.Route(datagram.Buffer, datagram.RemoteEndPoint);
                if (routed.Stun is not null && routed.Session is { } session)
                {
                    var check = session.ProcessMessage(routed.Stun, datagram.RemoteEndPoint);
                    if (check.IsValidCheck)
                    {
                        demux.BindEndPoint(datagram.RemoteEndPoint, session);
                    }

                    if (check.Response is not null)
                    {
                        await socket.SendAsync(check.Response, datagram.RemoteEndPoint, stop.Token);
                    }
                }
                else if (routed.Outcome == DemuxOutcome.RoutedByEndPoint && datagram.Buffer[0] is >= 20 and <= 63)
                {
                    Interlocked.Increment(ref dtlsRouted);
                }
            }
        });

        string state = await page.EvaluateAsync<string>(AnswerScript, result.AnswerSdp);

        // Chromium nominates (USE-CANDIDATE) and starts DTLS as client a few tens of ms after "connected".
        for (int i = 0; i < 250 && (Volatile.Read(ref dtlsRouted) == 0 || agent.SelectedRemoteEndPoint is null); i++)
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        await loop;

        Assert.Equal("connected", state);
        Assert.True(agent.SelectedRemoteEndPoint is not null, $"valid {agent.ValidCheckCount} 401 {agent.UnauthorizedCount} 400 {agent.BadRequestCount} 487 {agent.RoleConflictCount} ignored {agent.IgnoredCount} dtls {dtlsRouted} unknownUfrag {demux.UnknownUfragCount} unknownEp {demux.UnknownEndPointCount}");
        Assert.True(agent.ValidCheckCount > 0);
        Assert.Equal(0, agent.UnauthorizedCount);
        Assert.NotNull(agent.SelectedRemoteEndPoint);
        Assert.Equal(IPAddress.Loopback, agent.SelectedRemoteEndPoint!.Address);
        Assert.True(dtlsRouted > 0, "no DTLS datagram was routed by endpoint");
    }
}
