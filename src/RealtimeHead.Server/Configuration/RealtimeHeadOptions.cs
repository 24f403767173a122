namespace RealtimeHead.Server.Configuration;

/// <summary>
/// Everything the live server reads from configuration, bound from the <c>RealtimeHead</c> section of
/// appsettings.json (or <c>RealtimeHead__Section__Key</c> environment variables). Checked at start by
/// <see cref="RealtimeHeadOptionsValidator"/>, which lists every problem at once.
/// </summary>
public sealed record RealtimeHeadOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "RealtimeHead";

    /// <summary>Where Kestrel listens (HTTP and HTTPS).</summary>
    public HttpOptions Http { get; init; } = new();

    /// <summary>The WebRTC media port range, published addresses and the ICE servers handed to clients.</summary>
    public WebRtcOptions WebRtc { get; init; } = new();

    /// <summary>Per-server limits.</summary>
    public LimitsOptions Limits { get; init; } = new();

    /// <summary>Which talking-head model renders, on which device.</summary>
    public ModelOptions Model { get; init; } = new();

    /// <summary>The avatar (portrait) directory.</summary>
    public AvatarOptions Avatars { get; init; } = new();

    /// <summary>Authentication of the hub and the APIs.</summary>
    public AuthOptions Auth { get; init; } = new();

    /// <summary>Metrics export.</summary>
    public ObservabilityOptions Observability { get; init; } = new();

    /// <summary>Bots and kiosks: audio pushed over a WebSocket and server-side speech (Bots/README.md).</summary>
    public Bots.BotOptions Bots { get; init; } = new();

    /// <summary>The browser client's pages and the per-session Stats messages.</summary>
    public Web.WebOptions Web { get; init; } = new();
}

/// <summary>Kestrel endpoints.</summary>
public sealed record HttpOptions
{
    /// <summary>The URLs used when <see cref="Urls"/> is empty.</summary>
    public static IReadOnlyList<string> DefaultUrls { get; } = ["http://0.0.0.0:8080"];

    /// <summary>
    /// URLs Kestrel listens on (http:// or https://, host and port). Empty (default) = <see cref="DefaultUrls"/>.
    /// (Defaults of bound arrays live outside the property: the configuration binder appends to an existing array.)
    /// </summary>
    public string[] Urls { get; init; } = [];

    /// <summary><see cref="Urls"/>, or the defaults when it is empty.</summary>
    public IReadOnlyList<string> EffectiveUrls => Urls is { Length: > 0 } ? Urls : DefaultUrls;

    /// <summary>PFX/PKCS#12 certificate for https:// URLs (required when one is listed). Default none.</summary>
    public string? CertificatePath { get; init; }

    /// <summary>Password of <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; init; }
}

/// <summary>The WebRTC side as clients see it.</summary>
public sealed record WebRtcOptions
{
    /// <summary>Lowest UDP port of the shared media port. Default 50000; 1024–65535.</summary>
    public int UdpPortRangeStart { get; init; } = 50000;

    /// <summary>Highest UDP port of the shared media port. Default 50009; ≥ start, ≤ 65535.</summary>
    public int UdpPortRangeEnd { get; init; } = 50009;

    /// <summary>The addresses used when <see cref="PublicAddresses"/> is empty: loopback, which only reaches a browser on the same machine.</summary>
    public static IReadOnlyList<string> DefaultPublicAddresses { get; } = ["127.0.0.1"];

    /// <summary>
    /// Addresses published as host candidates (the server's public IPv4/IPv6 addresses, no wildcards; the UDP socket
    /// binds each). Empty (default) = <see cref="DefaultPublicAddresses"/>.
    /// </summary>
    public string[] PublicAddresses { get; init; } = [];

    /// <summary><see cref="PublicAddresses"/>, or the defaults when it is empty.</summary>
    public IReadOnlyList<string> EffectivePublicAddresses => PublicAddresses is { Length: > 0 } ? PublicAddresses : DefaultPublicAddresses;

    /// <summary>
    /// Local addresses the UDP port binds when the public ones are not local (a container with published ports, a 1:1
    /// NAT): e.g. <c>["0.0.0.0"]</c> with PublicAddresses = the host's address. Empty (default) = bind the public addresses.
    /// </summary>
    public string[] BindAddresses { get; init; } = [];

    /// <summary>STUN/TURN servers handed to clients on join (the server itself is ICE-lite and needs none). Default none.</summary>
    public IceServerOptions[] IceServers { get; init; } = [];

    /// <summary>How long a session waits for the browser's ICE checks and DTLS handshake. Default 15 s; 1 s – 2 min.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long consent lasts without a connectivity check (RFC 7675 §5.1). Default 30 s; 1 s – 10 min.</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>One STUN or TURN server, as RTCPeerConnection's <c>iceServers</c> entry.</summary>
public sealed record IceServerOptions
{
    /// <summary><c>stun:host:port</c>, <c>turn:host:port?transport=udp</c> or <c>turns:host:port</c> URLs.</summary>
    public string[] Urls { get; init; } = [];

    /// <summary>TURN username (required for turn:/turns:).</summary>
    public string? Username { get; init; }

    /// <summary>TURN credential (required for turn:/turns:).</summary>
    public string? Credential { get; init; }
}

/// <summary>Per-server limits.</summary>
public sealed record LimitsOptions
{
    /// <summary>Sessions (joined connections) at once; more joins are refused with <c>capacity_full</c>. Default 8; 1–1000.</summary>
    public int MaxSessions { get; init; } = 8;

    /// <summary>Largest portrait upload in bytes. Default 4 MiB; 1 KiB – 64 MiB.</summary>
    public long MaxUploadBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Uploaded avatars kept at once; more uploads are refused. Default 100; 1–100 000.</summary>
    public int MaxAvatars { get; init; } = 100;

    /// <summary>Largest SignalR message (an SDP offer is 5–10 KiB). Default 64 KiB; 8 KiB – 1 MiB.</summary>
    public long MaxHubMessageBytes { get; init; } = 64 * 1024;
}

/// <summary>The renderer.</summary>
public sealed record ModelOptions
{
    /// <summary>
    /// <c>s3d-nerf</c> (default: the S3D-NeRF model of <see cref="Preset"/>, from <see cref="CheckpointPath"/> or
    /// freshly initialised, which renders untrained colour fields, not faces) or <c>still</c> (the portrait itself with
    /// an audio-driven mouth shade: exercises the call path on any machine at no render cost).
    /// </summary>
    public string Renderer { get; init; } = "s3d-nerf";

    /// <summary>S3D-NeRF size preset: <c>tiny</c> (CPU) or <c>paper</c> (GPU). Default tiny.</summary>
    public string Preset { get; init; } = "tiny";

    /// <summary>
    /// Checkpoint directory of a trained model; empty (default) = the bundled default model of <see cref="Preset"/>
    /// (src/RealtimeHead.Model/Default/), or a fresh untrained model when none is bundled for the preset.
    /// </summary>
    public string? CheckpointPath { get; init; }

    /// <summary>
    /// Render device: <c>cpu</c> or <c>cuda</c>/<c>cuda:N</c>. Default cpu. One render scheduler per device. cuda
    /// needs a CUDA build of the libtorch shim (docs/deployment.md); start fails with a clear error otherwise.
    /// </summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Inference number type: <c>fp32</c> (default), or <c>bf16</c> / <c>fp16</c> on cuda only.</summary>
    public string Precision { get; init; } = "fp32";

    /// <summary>libtorch intra-op threads for the S3D-NeRF renderer; 0 (default) = one per processor. 0–256.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// wav2vec2 ONNX export (768-dim features, what the paper preset takes); empty (default) = log-mel features with
    /// the renderer's dimension (the tiny preset takes 80).
    /// </summary>
    public string? Wav2Vec2ModelPath { get; init; }

    /// <summary>Side of the still renderer's square frames, in pixels. Default 128; 32–1024, a multiple of 16.</summary>
    public int StillFrameSize { get; init; } = 128;

    /// <summary>Silero VAD ONNX model; empty = gate speech on energy. Default artifacts/native/silero_vad.onnx.</summary>
    public string? VadModelPath { get; init; } = "artifacts/native/silero_vad.onnx";

    /// <summary>Frames per second of the render tick. Default 25; 5–60.</summary>
    public int FrameRate { get; init; } = 25;

    /// <summary>
    /// Rung at which the render device must still fit one more session in the frame budget to admit it:
    /// <c>Full</c> (a join never pushes the others down the ladder), <c>NoSuperResolution</c> or <c>LowResolution</c>
    /// (more sessions per device at lower quality). Default (empty): <c>Full</c> on cuda, <c>LowResolution</c> on cpu,
    /// where the tiny model's Full rung does not fit the 35 ms budget and Full would admit one session only.
    /// </summary>
    public RealtimeHead.Rendering.RenderQuality? AdmissionQuality { get; init; }
}

/// <summary>The avatar directory.</summary>
public sealed record AvatarOptions
{
    /// <summary>Directory holding uploaded portraits (created at start). Default <c>avatars</c> (relative to the working directory).</summary>
    public string Directory { get; init; } = "avatars";
}

/// <summary>How callers are authenticated.</summary>
public enum AuthMode
{
    /// <summary>JWT bearer tokens signed with <see cref="AuthOptions.SigningKey"/> (HMAC-SHA256).</summary>
    Jwt = 0,

    /// <summary>Accepts every caller (logs a warning at start). For local development only.</summary>
    Development = 1,
}

/// <summary>JWT bearer authentication of the hub and the APIs.</summary>
public sealed record AuthOptions
{
    /// <summary><see cref="AuthMode.Jwt"/> (default) or <see cref="AuthMode.Development"/>.</summary>
    public AuthMode Mode { get; init; } = AuthMode.Jwt;

    /// <summary>HMAC-SHA256 signing key (UTF-8 text, at least 32 bytes). Required in Jwt mode.</summary>
    public string? SigningKey { get; init; }

    /// <summary>Expected <c>iss</c> claim; empty = not checked.</summary>
    public string? Issuer { get; init; }

    /// <summary>Expected <c>aud</c> claim; empty = not checked.</summary>
    public string? Audience { get; init; }
}

/// <summary>Metrics export.</summary>
public sealed record ObservabilityOptions
{
    /// <summary>OTLP endpoint (e.g. <c>http://collector:4317</c>); empty = no OTLP export. /metrics is always served.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Interval of OTLP metric export. Default 10 s; 1 s – 10 min.</summary>
    public TimeSpan OtlpExportInterval { get; init; } = TimeSpan.FromSeconds(10);
}
