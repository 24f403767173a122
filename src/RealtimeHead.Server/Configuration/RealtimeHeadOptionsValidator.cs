using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using RealtimeHead.Model.Placement;
using RealtimeHead.Torch;

namespace RealtimeHead.Server.Configuration;

/// <summary>
/// Checks <see cref="RealtimeHeadOptions"/> at start (ValidateOnStart) and reports EVERY problem at once, each naming
/// the key and what to set it to, so one failed start tells the operator everything to fix.
/// </summary>
internal sealed class RealtimeHeadOptionsValidator : IValidateOptions<RealtimeHeadOptions>
{
    private const string Prefix = RealtimeHeadOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, RealtimeHeadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        ValidateHttp(options.Http, errors);
        ValidateWebRtc(options.WebRtc, errors);
        ValidateLimits(options.Limits, errors);
        ValidateModel(options.Model, errors);
        ValidateAvatars(options.Avatars, errors);
        ValidateAuth(options.Auth, errors);
        ValidateObservability(options.Observability, errors);
        if (options.Bots is { } bots)
        {
            errors.AddRange(bots.GetErrors(Prefix + "Bots:"));
        }

        Web.WebOptions.Validate(options.Web, Prefix, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateHttp(HttpOptions? http, List<string> errors)
    {
        if (http is null)
        {
            errors.Add($"{Prefix}Http is null; remove it for the defaults.");
            return;
        }

        var https = false;
        foreach (var url in http.EffectiveUrls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"{Prefix}Http:Urls contains '{url}'; use an absolute http:// or https:// URL with a host and port, e.g. http://0.0.0.0:8080.");
                continue;
            }

            https |= uri.Scheme == "https";
        }

        if (https && string.IsNullOrWhiteSpace(http.CertificatePath))
        {
            errors.Add($"{Prefix}Http:CertificatePath is empty but Http:Urls has an https:// URL; set it to a PFX file or use http://.");
        }
        else if (!string.IsNullOrWhiteSpace(http.CertificatePath))
        {
            // Load it now: a wrong password or a certificate without its key would otherwise surface in Kestrel's bind.
            using var certificate = ServerCertificateFile.TryLoad(http.CertificatePath, http.CertificatePassword, out var error);
            if (error is not null)
            {
                errors.Add(Prefix + error);
            }
        }
    }

    private static void ValidateWebRtc(WebRtcOptions? webRtc, List<string> errors)
    {
        if (webRtc is null)
        {
            errors.Add($"{Prefix}WebRtc is null; remove it for the defaults.");
            return;
        }

        CheckRange(errors, "WebRtc:UdpPortRangeStart", webRtc.UdpPortRangeStart, 1024, 65535, "50000");
        CheckRange(errors, "WebRtc:UdpPortRangeEnd", webRtc.UdpPortRangeEnd, 1024, 65535, "50009");
        if (webRtc.UdpPortRangeEnd < webRtc.UdpPortRangeStart)
        {
            errors.Add(Invariant($"{Prefix}WebRtc:UdpPortRangeEnd ({webRtc.UdpPortRangeEnd}) is below WebRtc:UdpPortRangeStart ({webRtc.UdpPortRangeStart}); swap or widen them (and open that UDP range in the firewall)."));
        }

        foreach (var text in webRtc.EffectivePublicAddresses)
        {
            if (!IPAddress.TryParse(text, out var address)
                || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                errors.Add($"{Prefix}WebRtc:PublicAddresses contains '{text}'; use an IPv4 or IPv6 address (not a host name).");
            }
            else if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            {
                errors.Add($"{Prefix}WebRtc:PublicAddresses contains the wildcard '{text}'; browsers cannot reach it: list the concrete address.");
            }
        }

        foreach (var text in webRtc.BindAddresses ?? [])
        {
            if (!IPAddress.TryParse(text, out var address)
                || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            {
                errors.Add($"{Prefix}WebRtc:BindAddresses contains '{text}'; use a local IPv4 or IPv6 address, or 0.0.0.0 / :: for every interface.");
            }
        }

        var servers = webRtc.IceServers ?? [];
        for (var i = 0; i < servers.Length; i++)
        {
            ValidateIceServer(servers[i], Invariant($"WebRtc:IceServers:{i}"), errors);
        }

        CheckRange(errors, "WebRtc:HandshakeTimeout", webRtc.HandshakeTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2), "00:00:15");
        CheckRange(errors, "WebRtc:ConsentTimeout", webRtc.ConsentTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "00:00:30");
    }

    private static void ValidateIceServer(IceServerOptions? server, string key, List<string> errors)
    {
        if (server?.Urls is null || server.Urls.Length == 0)
        {
            errors.Add($"{Prefix}{key}:Urls is empty; give stun:host:port or turn:host:port URLs, or remove the entry.");
            return;
        }

        foreach (var url in server.Urls)
        {
            var scheme = url?.Split(':', 2)[0].ToLowerInvariant();
            if (scheme is not ("stun" or "stuns" or "turn" or "turns") || url!.Length <= scheme.Length + 1)
            {
                errors.Add($"{Prefix}{key}:Urls contains '{url}'; use stun:host:port, turn:host:port?transport=udp or turns:host:port (RFC 7064/7065).");
            }
            else if (scheme.StartsWith("turn", StringComparison.Ordinal)
                && (string.IsNullOrEmpty(server.Username) || string.IsNullOrEmpty(server.Credential)))
            {
                errors.Add($"{Prefix}{key} has TURN URL '{url}' but no Username/Credential; browsers refuse TURN servers without both.");
            }
        }
    }

    private static void ValidateLimits(LimitsOptions? limits, List<string> errors)
    {
        if (limits is null)
        {
            errors.Add($"{Prefix}Limits is null; remove it for the defaults.");
            return;
        }

        CheckRange(errors, "Limits:MaxSessions", limits.MaxSessions, 1, 1000, "8");
        CheckRange(errors, "Limits:MaxUploadBytes", limits.MaxUploadBytes, 1024, 64L * 1024 * 1024, "4194304");
        CheckRange(errors, "Limits:MaxAvatars", limits.MaxAvatars, 1, 100_000, "100");
        CheckRange(errors, "Limits:MaxHubMessageBytes", limits.MaxHubMessageBytes, 8 * 1024, 1024 * 1024, "65536");
    }

    private static void ValidateModel(ModelOptions? model, List<string> errors)
    {
        if (model is null)
        {
            errors.Add($"{Prefix}Model is null; remove it for the defaults.");
            return;
        }

        if (!RendererNames.IsKnown(model.Renderer))
        {
            errors.Add($"{Prefix}Model:Renderer is '{model.Renderer}'; set it to one of: {string.Join(", ", RendererNames.All)}.");
        }

        if (model.Preset?.ToLowerInvariant() is not ("tiny" or "paper"))
        {
            errors.Add($"{Prefix}Model:Preset is '{model.Preset}'; set it to tiny (CPU) or paper (GPU).");
        }

        if (!string.IsNullOrWhiteSpace(model.CheckpointPath) && !Directory.Exists(model.CheckpointPath))
        {
            errors.Add($"{Prefix}Model:CheckpointPath '{model.CheckpointPath}' is not a directory; point it at a checkpoint directory or leave it empty for a fresh model.");
        }

        // One parser for device and precision: the model's own (cpu, cuda, cuda:N; fp32, bf16, fp16).
        if (!ModelPlacement.TryParse(model.Device, model.Precision, out var placement, out var placementError))
        {
            errors.Add($"{Prefix}Model:Device '{model.Device}' / Model:Precision '{model.Precision}': {placementError}; set Model:Device to cpu, cuda or cuda:N and Model:Precision to fp32, bf16 or fp16.");
        }
        else if (placement.Device.type == DeviceType.CPU && placement.Precision != InferencePrecision.Float32)
        {
            errors.Add($"{Prefix}Model:Precision is '{model.Precision}' but Model:Device is cpu; reduced precision is for cuda: set Model:Precision=fp32.");
        }

        if (model.StillFrameSize is < 32 or > 1024 || model.StillFrameSize % 16 != 0)
        {
            errors.Add(Invariant($"{Prefix}Model:StillFrameSize is {model.StillFrameSize}; set it to a multiple of 16 in 32-1024 (default 128)."));
        }

        if (!string.IsNullOrWhiteSpace(model.VadModelPath) && !File.Exists(model.VadModelPath))
        {
            errors.Add($"{Prefix}Model:VadModelPath '{model.VadModelPath}' does not exist; run ./setup.sh deps to fetch it, or set it empty to gate speech on energy.");
        }

        CheckRange(errors, "Model:FrameRate", model.FrameRate, 5, 60, "25");
        if (model.AdmissionQuality is { } admission && !Enum.IsDefined(admission))
        {
            errors.Add($"{Prefix}Model:AdmissionQuality is '{model.AdmissionQuality}'; set it to Full, NoSuperResolution or LowResolution, or leave it empty (Full on cuda, LowResolution on cpu).");
        }

        CheckRange(errors, "Model:Threads", model.Threads, 0, 256, "0");

        var s3d = string.Equals(model.Renderer, RendererNames.S3DNeRF, StringComparison.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(model.Wav2Vec2ModelPath) && !File.Exists(model.Wav2Vec2ModelPath))
        {
            errors.Add($"{Prefix}Model:Wav2Vec2ModelPath '{model.Wav2Vec2ModelPath}' does not exist; point it at a wav2vec2 ONNX export or leave it empty for log-mel features.");
        }
        else if (s3d && string.Equals(model.Preset, "paper", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(model.Wav2Vec2ModelPath))
        {
            errors.Add($"{Prefix}Model:Preset paper takes 768-dim wav2vec2 features; set Model:Wav2Vec2ModelPath to a wav2vec2-base ONNX export, or use Preset tiny (log-mel).");
        }
    }

    private static void ValidateAvatars(AvatarOptions? avatars, List<string> errors)
    {
        if (avatars is null || string.IsNullOrWhiteSpace(avatars.Directory))
        {
            errors.Add($"{Prefix}Avatars:Directory is empty; set it to a writable directory for uploaded portraits (default avatars).");
        }
        else if (File.Exists(avatars.Directory))
        {
            errors.Add($"{Prefix}Avatars:Directory '{avatars.Directory}' is a file; point it at a directory.");
        }
    }

    private static void ValidateAuth(AuthOptions? auth, List<string> errors)
    {
        if (auth is null)
        {
            errors.Add($"{Prefix}Auth is null; set Auth:Mode to Jwt (with Auth:SigningKey) or Development.");
            return;
        }

        if (!Enum.IsDefined(auth.Mode))
        {
            errors.Add($"{Prefix}Auth:Mode is '{auth.Mode}'; set it to Jwt or Development.");
        }
        else if (auth.Mode == AuthMode.Jwt)
        {
            if (string.IsNullOrEmpty(auth.SigningKey))
            {
                errors.Add($"{Prefix}Auth:SigningKey is empty in Jwt mode; set a secret of at least 32 bytes (e.g. `openssl rand -base64 48`), or Auth:Mode=Development for local use.");
            }
            else if (Encoding.UTF8.GetByteCount(auth.SigningKey) < 32)
            {
                errors.Add(Invariant($"{Prefix}Auth:SigningKey is {Encoding.UTF8.GetByteCount(auth.SigningKey)} bytes; HMAC-SHA256 needs at least 32: set a longer secret (e.g. `openssl rand -base64 48`)."));
            }
        }
    }

    private static void ValidateObservability(ObservabilityOptions? observability, List<string> errors)
    {
        if (observability is null)
        {
            return;
        }

        if (!string.IsNullOrWhiteSpace(observability.OtlpEndpoint)
            && (!Uri.TryCreate(observability.OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{Prefix}Observability:OtlpEndpoint is '{observability.OtlpEndpoint}'; use an http(s):// URL such as http://collector:4317, or leave it empty.");
        }

        CheckRange(errors, "Observability:OtlpExportInterval", observability.OtlpExportInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10), "00:00:10");
    }

    private static void CheckRange(List<string> errors, string key, long value, long min, long max, string defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add(Invariant($"{Prefix}{key} is {value}; set it to {min}-{max} (default {defaultValue})."));
        }
    }

    private static void CheckRange(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max, string defaultValue)
    {
        if (value < min || value > max)
        {
            errors.Add(Invariant($"{Prefix}{key} is {value}; set it to {min}-{max} (default {defaultValue})."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
