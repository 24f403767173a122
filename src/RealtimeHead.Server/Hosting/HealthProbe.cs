using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Hosting;

/// <summary>
/// <c>RealtimeHead.Server --healthcheck</c>: a liveness probe for container health checks (the ASP.NET runtime image has
/// no curl). It reads the configuration exactly as the server does, asks the first listening URL's <c>/healthz</c> on
/// loopback and exits 0 on 200, 1 otherwise, so <c>HEALTHCHECK CMD ["dotnet", "RealtimeHead.Server.dll", "--healthcheck"]</c>
/// probes what the server really serves.
/// </summary>
internal static class HealthProbe
{
    /// <summary>The command-line switch that turns the process into the probe.</summary>
    public const string Switch = "--healthcheck";

    /// <summary>How long the probe waits for an answer. Docker's own default timeout is 30 s; a live server answers in ms.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Whether <paramref name="args"/> asks for the probe instead of the server.</summary>
    public static bool IsRequested(IReadOnlyList<string> args) => args is not null && args.Contains(Switch, StringComparer.Ordinal);

    /// <summary>Probes the server that <paramref name="args"/> and the environment configure; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);

        // The builder is only used for its configuration (appsettings*.json of the content root, environment
        // variables, command line): the same sources, in the same order, as the server it probes.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args.Where(a => a != Switch)] });
        var http = builder.Configuration.GetSection(RealtimeHeadOptions.SectionName).GetSection("Http").Get<HttpOptions>() ?? new HttpOptions();
        var uri = ProbeUri(http.EffectiveUrls);
        if (uri is null)
        {
            await output.WriteLineAsync($"unhealthy: no usable URL in RealtimeHead:Http:Urls ({string.Join(", ", http.EffectiveUrls)})").ConfigureAwait(false);
            return 1;
        }

        return await ProbeAsync(uri, Timeout, output).ConfigureAwait(false);
    }

    /// <summary>GETs <paramref name="uri"/>; 0 when it answers 200, 1 otherwise (refused, timed out, other status).</summary>
    public static async Task<int> ProbeAsync(Uri uri, TimeSpan timeout, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(output);
        using var handler = new SocketsHttpHandler();

        // The probe talks to its own server over loopback and sends nothing secret; the certificate names the public
        // host (or is a development certificate), so checking it against 127.0.0.1 could only fail.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        using var client = new HttpClient(handler) { Timeout = timeout };
        try
        {
            using var response = await client.GetAsync(uri).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{(status == 200 ? "healthy" : "unhealthy")}: {uri} answered {status}")).ConfigureAwait(false);
            return status == 200 ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"unhealthy: {uri}: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>
    /// The loopback <c>/healthz</c> URL for the listening URLs: the first http:// one (no TLS to set up), else the first
    /// https:// one; wildcard hosts (0.0.0.0, [::], *, +) become the loopback address of their family. Null when none parses.
    /// </summary>
    public static Uri? ProbeUri(IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        Uri? https = null;
        foreach (var url in urls)
        {
            var probe = ToLoopback(url);
            if (probe?.Scheme == Uri.UriSchemeHttp)
            {
                return probe;
            }

            https ??= probe;
        }

        return https;
    }

    private static Uri? ToLoopback(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        // Kestrel accepts http://*:port and http://+:port, which Uri does not parse: read them as 0.0.0.0.
        var text = url.Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal).Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var host = uri.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            _ => uri.Host,
        };
        return new UriBuilder(uri.Scheme, host, uri.Port, "/healthz").Uri;
    }
}
