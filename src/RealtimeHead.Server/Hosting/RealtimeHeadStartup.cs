using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Avatars;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Hosting;

/// <summary>
/// Brings the server up in order (avatars, UDP port, VAD, render device, the default portrait's encoding) so a bad
/// port range or a model that fails to load stops the start with its own message; and down in reverse, closing every
/// session first.
/// </summary>
internal sealed partial class RealtimeHeadStartup(
    IOptions<RealtimeHeadOptions> options,
    AvatarStore avatars,
    WebRtcEndpointHost endpoint,
    SpeechComponents speech,
    RenderDevice device,
    PortraitCache portraits,
    SessionManager sessions,
    ILogger<RealtimeHeadStartup> logger) : IHostedService
{
    private PortraitLease? _defaultPortrait;
    private volatile bool _started;

    /// <summary>Whether every start step finished.</summary>
    public bool IsStarted => _started;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (settings.Auth.Mode == AuthMode.Development)
        {
            Log.DevelopmentAuth(logger);
        }

        avatars.Initialize();
        endpoint.Start();
        speech.Initialize();
        device.Start();

        // Keep the default portrait encoded for the server's life: the first join pays nothing.
        var defaultPortrait = await portraits.AcquireAsync(AvatarStore.DefaultAvatarId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The bundled default avatar is missing from the avatar store.");
        _defaultPortrait = defaultPortrait;
        var costs = await device.CalibrateAsync(defaultPortrait.Encoding, cancellationToken).ConfigureAwait(false);
        Log.Calibrated(logger, device.Name, string.Join(", ", costs.OrderBy(c => c.Key).Select(c => FormattableString.Invariant($"{c.Key} {c.Value:F1} ms"))));
        _started = true;
        Log.Started(logger, settings.Model.Renderer, settings.Model.Preset, device.Name, device.Renderer.FrameSize, speech.FrontEndName,
            endpoint.Endpoint.Port, speech.HasVoiceActivityModel ? "Silero VAD" : "energy", settings.Limits.MaxSessions);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _started = false;
        await sessions.DisposeAsync().ConfigureAwait(false);
        _defaultPortrait?.Dispose();
        await device.DisposeAsync().ConfigureAwait(false);
        await endpoint.DisposeAsync().ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Auth:Mode is Development: every caller is accepted. Never expose this server; set Auth:Mode=Jwt and Auth:SigningKey.")]
        public static partial void DevelopmentAuth(ILogger logger);

        [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "RealtimeHead ready: renderer {Renderer} ({Preset}) on {Device}, {FrameSize}px frames from {FrontEnd} features, WebRTC UDP port {Port}, speech gate {Gate}, up to {MaxSessions} sessions")]
        public static partial void Started(ILogger logger, string renderer, string preset, string device, int frameSize, string frontEnd, int port, string gate, int maxSessions);

        [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Render device {Device} calibrated, one frame per rung: {Costs}")]
        public static partial void Calibrated(ILogger logger, string device, string costs);
    }
}
