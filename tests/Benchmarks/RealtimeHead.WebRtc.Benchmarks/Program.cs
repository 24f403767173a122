using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using RealtimeHead.Media;
using RealtimeHead.WebRtc.Peer;
using RealtimeHead.WebRtc.Rtp;
using RealtimeHead.WebRtc.Srtp;

// Figures for the WebRTC media path, printed as markdown:
//  1. SRTP protect / unprotect of a 1200-byte RTP packet (µs per packet).
//  2. Media-only sessions one core carries at 25 fps: each encodes a moving 256x256 VP8 pattern at 25 fps and
//     20 ms Opus, packetizes, SRTP-protects and sends over loopback UDP to a sink. N grows until the achieved
//     frame rate falls below 25 fps. Pin it: `taskset -c 0 dotnet run -c Release` (the app also sets its affinity to core 0).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
{
    Process.GetCurrentProcess().ProcessorAffinity = 1;
}

Console.WriteLine($"# RealtimeHead.WebRtc benchmarks ({Environment.ProcessorCount} CPUs visible, affinity core 0, {RuntimeInformationText()})");
Console.WriteLine();
SrtpBenchmark();
Console.WriteLine();
await SessionsBenchmarkAsync(args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64);

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static void SrtpBenchmark()
{
    var keys = SrtpKeyingMaterial.FromDtlsExporter(RandomNumberGenerator.GetBytes(SrtpKeyingMaterial.ExporterLength), isDtlsServer: true);
    var mirrored = new SrtpKeyingMaterial(keys.Remote, keys.Local);
    using var sender = new SrtpSession(keys);
    using var receiver = new SrtpSession(mirrored);
    const int Packets = 200_000;
    var rtp = new RtpPacket { PayloadType = 96, Ssrc = 0x1234_5678, Payload = RandomNumberGenerator.GetBytes(1200 - RtpPacket.FixedHeaderLength) };
    var buffer = new byte[1500];
    var wire = new byte[Packets][];
    for (int i = 0; i < Packets; i++)
    {
        wire[i] = new byte[1200 + SrtpProfile.RtpOverhead];
    }

    // Two rounds (the first warms up the JIT); sequence numbers continue across rounds, wrapping the ROC.
    double protectUs = 0, unprotectUs = 0;
    for (int round = 0; round < 2; round++)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < Packets; i++)
        {
            rtp.SequenceNumber = (ushort)((round * Packets) + i);
            rtp.Timestamp = (uint)(round * Packets) + (uint)i;
            int length = rtp.WriteTo(buffer);
            buffer.AsSpan(0, length).CopyTo(wire[i]);
            sender.ProtectRtp(wire[i], length, out _);
        }

        protectUs = watch.Elapsed.TotalMicroseconds / Packets;
        watch.Restart();
        for (int i = 0; i < Packets; i++)
        {
            if (receiver.UnprotectRtp(wire[i], out _) != SrtpStatus.Ok)
            {
                throw new InvalidOperationException("unprotect failed");
            }
        }

        unprotectUs = watch.Elapsed.TotalMicroseconds / Packets;
    }

    Console.WriteLine("## SRTP (AES_CM_128_HMAC_SHA1_80), 1200-byte RTP packet");
    Console.WriteLine();
    Console.WriteLine("| operation | µs / packet | packets / s |");
    Console.WriteLine("|---|---:|---:|");
    Console.WriteLine($"| protect (serialize + encrypt + tag) | {protectUs:F2} | {1e6 / protectUs:F0} |");
    Console.WriteLine($"| unprotect (verify + decrypt) | {unprotectUs:F2} | {1e6 / unprotectUs:F0} |");
}

static async Task SessionsBenchmarkAsync(int maxSessions)
{
    using var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    sink.ReceiveBufferSize = 8 * 1024 * 1024;
    var sinkEndPoint = (IPEndPoint)sink.LocalEndPoint!;
    using var drain = new CancellationTokenSource();
    long sinkBytes = 0;
    var drainTask = Task.Run(async () =>
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                int n = await sink.ReceiveAsync(buffer, SocketFlags.None, drain.Token);
                Interlocked.Add(ref sinkBytes, n);
            }
        }
        catch (OperationCanceledException)
        {
        }
    });

    Console.WriteLine("## Media-only sessions on one core (256x256 VP8 at 25 fps + 20 ms Opus, SRTP, loopback UDP)");
    Console.WriteLine();
    Console.WriteLine("| sessions | achieved fps | wall ms per frame (encode+send) | loop busy | process CPU ms per session-second | sessions/core from CPU time | Mbit/s sent |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
    var seconds = TimeSpan.FromSeconds(4);
    foreach (int n in new[] { 1, 2, 4, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64 }.Where(n => n <= maxSessions))
    {
        var sessions = Enumerable.Range(0, n).Select(i => new MediaOnlySession((uint)(i + 1), sinkEndPoint)).ToList();
        Interlocked.Exchange(ref sinkBytes, 0);
        // Process CPU time is immune to other processes preempting the core (wall time is not): on a shared machine
        // the last two columns are the figure to trust.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var (fps, msPerFrame, busy) = await RunAsync(sessions, seconds);
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        double perSessionSecond = cpuMs / n / seconds.TotalSeconds;
        double mbps = Interlocked.Read(ref sinkBytes) * 8 / seconds.TotalSeconds / 1e6;
        Console.WriteLine($"| {n} | {fps:F1} | {msPerFrame:F2} | {busy:P0} | {perSessionSecond:F0} | {1000 / perSessionSecond:F1} | {mbps:F1} |");
        foreach (var session in sessions)
        {
            session.Dispose();
        }

        if (fps < 24.5)
        {
            break;
        }
    }

    await drain.CancelAsync();
    await drainTask;
}

static async Task<(double Fps, double MsPerFrame, double Busy)> RunAsync(List<MediaOnlySession> sessions, TimeSpan duration)
{
    // One thread (the process is pinned to one core) runs a 20 ms media clock: audio every tick, video every other.
    // Tick k is due at k x 20 ms; a late tick runs at once (no tick is skipped), so the achieved frame rate
    // (frames / wall time) falls below 25 fps only when the work itself no longer fits in real time.
    int ticks = (int)(duration.TotalMilliseconds / 20);
    var wall = Stopwatch.StartNew();
    var busy = TimeSpan.Zero;
    long videoWork = 0;
    int frames = 0;
    for (int tick = 0; tick < ticks; tick++)
    {
        var due = TimeSpan.FromMilliseconds(tick * 20);
        var wait = due - wall.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait - TimeSpan.FromMilliseconds(1));
        }

        while (wall.Elapsed < due)
        {
            Thread.SpinWait(50);
        }

        var work = Stopwatch.StartNew();
        long position = (long)tick * 960;
        foreach (var session in sessions)
        {
            session.SendAudio(position);
        }

        if (tick % 2 == 0)
        {
            long start = Stopwatch.GetTimestamp();
            foreach (var session in sessions)
            {
                session.SendVideo(position, tick / 2);
            }

            videoWork += Stopwatch.GetTimestamp() - start;
            frames++;
        }

        busy += work.Elapsed;
    }

    // The run lasts until the last frame's slot ends.
    double seconds = Math.Max(wall.Elapsed.TotalSeconds, duration.TotalSeconds);
    double msPerFrame = videoWork * 1000.0 / Stopwatch.Frequency / Math.Max(1, frames * sessions.Count);
    return (frames / seconds, msPerFrame, busy.TotalSeconds / seconds);
}

/// <summary>The send side of one session without ICE/DTLS: the product's track encoders, random SRTP keys, a socket.</summary>
internal sealed class MediaOnlySession : IDisposable
{
    private const int Size = 256;
    private readonly OutboundVideoTrack _video;
    private readonly OutboundAudioTrack _audio;
    private readonly SrtpSession _srtp;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _sink;
    private readonly byte[] _buffer = new byte[1600];
    private readonly VideoFrame _frame = new(Size, Size, 0);
    private readonly short[] _pcm = new short[960];

    public MediaOnlySession(uint id, IPEndPoint sink)
    {
        _video = new OutboundVideoTrack(id * 2, 96, (uint)Random.Shared.Next(), 1_000_000);
        _audio = new OutboundAudioTrack((id * 2) + 1, 111, (uint)Random.Shared.Next(), 32_000);
        _srtp = new SrtpSession(SrtpKeyingMaterial.FromDtlsExporter(RandomNumberGenerator.GetBytes(SrtpKeyingMaterial.ExporterLength), isDtlsServer: true));
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sink = sink;
        _frame.U.AsSpan().Fill(128);
        _frame.V.AsSpan().Fill(128);
    }

    public void SendVideo(long position, int number)
    {
        // A moving diagonal ramp with the frame number in 16 blocks: real motion for the encoder every frame.
        for (int y = 0; y < Size; y++)
        {
            for (int x = 0; x < Size; x++)
            {
                int bit = ((y * 4 / Size) * 4) + (x * 4 / Size);
                int ramp = (x + (2 * y) + (number * 6)) & 0x7F;
                _frame.Y[(y * Size) + x] = (byte)(((number >> bit) & 1) != 0 ? 128 + ramp : ramp);
            }
        }

        _frame.MediaTimestamp = position;
        foreach (var packet in _video.Encode(_frame))
        {
            Send(packet);
        }
    }

    public void SendAudio(long position)
    {
        for (int i = 0; i < _pcm.Length; i++)
        {
            _pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 440 * (position + i) / MediaClock.SampleRate));
        }

        foreach (var packet in _audio.Encode(new AudioFrame(_pcm, MediaClock.SampleRate, 1, position)))
        {
            Send(packet);
        }
    }

    private void Send(RtpPacket packet)
    {
        int length = packet.WriteTo(_buffer);
        if (_srtp.ProtectRtp(_buffer, length, out int protectedLength) == SrtpStatus.Ok)
        {
            _socket.SendTo(_buffer.AsSpan(0, protectedLength), SocketFlags.None, _sink);
        }
    }

    public void Dispose()
    {
        _video.Dispose();
        _audio.Dispose();
        _srtp.Dispose();
        _socket.Dispose();
    }
}
