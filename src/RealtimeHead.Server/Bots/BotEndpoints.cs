using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Sessions;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// The bot API (Bots/README.md): <c>GET /api/sessions</c> (the caller's active sessions), the push WebSocket
/// <c>GET /api/sessions/{sessionId}/audio?format=…</c>, and <c>POST /api/sessions/{sessionId}/speech</c>. A session is
/// fed only by its own user (the <c>sub</c> claim of whoever joined it; in Development mode everyone is
/// <c>developer</c>). Errors are RFC 9457 problem details with a <c>code</c> extension (<see cref="BotErrorCode"/>).
/// </summary>
internal static partial class BotEndpoints
{
    /// <summary>Path of the session list; the audio and speech endpoints are below it.</summary>
    public const string SessionsPath = "/api/sessions";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapBotApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(SessionsPath);
        group.MapGet("/", ListSessions);

        // The WebSocket handler runs in a small pipeline of its own with the WebSockets middleware (as SignalR's does),
        // so the upgrade works on Kestrel without the host calling UseWebSockets.
        var socketPipeline = endpoints.CreateApplicationBuilder();
        socketPipeline.UseWebSockets();
        socketPipeline.Run(PushAudioAsync);
        group.MapMethods("/{sessionId}/audio", [HttpMethods.Get], socketPipeline.Build());

        group.MapPost("/{sessionId}/speech", SpeakAsync);
        return group;
    }

    /// <summary>One entry of <c>GET /api/sessions</c>.</summary>
    internal sealed record SessionSummary(string SessionId, string AvatarId, DateTimeOffset JoinedAt, string VoiceSource, bool HasMedia);

    private static IResult ListSessions(HttpContext context, SessionManager sessions)
    {
        var subject = Subject(context.User);
        return Results.Ok(sessions.List()
            .Where(s => s.Owner is not null && s.Owner == subject && !s.IsDisposed)
            .Select(s => new SessionSummary(s.SessionId, s.AvatarId, s.JoinedAt, VoiceSourceNames.Of(s.Voice?.Source ?? VoiceSourceKind.Microphone),
                s.Voice is not null)));
    }

    private static async Task PushAudioAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var metrics = services.GetRequiredService<BotMetrics>();
        var options = services.GetRequiredService<IOptions<RealtimeHeadOptions>>().Value.Bots;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BotEndpoints).FullName!);
        var query = context.Request.Query;

        // Every check answers before the upgrade, so a client gets a problem document, not just a failed handshake.
        if (!PushFormat.TryParse(query["format"], query["rate"], query["channels"], out var format, out var code, out var detail))
        {
            await WriteProblemAsync(context, metrics, code, detail).ConfigureAwait(false);
            return;
        }

        LiveSession session;
        try
        {
            session = Resolve(services.GetRequiredService<SessionManager>(), context.GetRouteValue("sessionId") as string, context.User);
        }
        catch (SessionRequestException refused)
        {
            await WriteProblemAsync(context, metrics, refused.Code, refused.Message).ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteProblemAsync(context, metrics, BotErrorCode.NotWebSocket, "Open this URL as a WebSocket (ws:// or wss://).").ConfigureAwait(false);
            return;
        }

        if (session.Voice is not { } voice)
        {
            await WriteProblemAsync(context, metrics, BotErrorCode.SessionNotReady,
                "The session has no media yet: its client must send its offer first.").ConfigureAwait(false);
            return;
        }

        if (!voice.TryOpenPush(out var stream, out var problem))
        {
            await WriteProblemAsync(context, metrics, session.IsDisposed ? BotErrorCode.SessionNotReady : BotErrorCode.VoiceBusy, problem!)
                .ConfigureAwait(false);
            return;
        }

        System.Net.WebSockets.WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        }
        catch
        {
            voice.ClosePush(stream!, 0);
            throw;
        }

        using (socket)
        {
            metrics.StreamOpened(format!.Name);
            Log.PushAccepted(logger, session.SessionId, format.Name, format.SampleRate, format.Channels);
            var receiver = new PushAudioReceiver(session.SessionId, socket, format, voice, stream!, options, metrics, logger);
            await receiver.RunAsync(context.RequestAborted).ConfigureAwait(false);
            Log.PushEnded(logger, session.SessionId, receiver.SamplesReceived / 48_000.0, receiver.MessagesRefused);
        }
    }

    private static async Task<IResult> SpeakAsync(string sessionId, HttpContext context, SessionManager sessions, SpeechService speech, BotMetrics metrics,
        IOptions<RealtimeHeadOptions> options)
    {
        LiveSession session;
        SpeechRequest? request;
        try
        {
            session = Resolve(sessions, sessionId, context.User);
            request = await ReadSpeechRequestAsync(context, options.Value.Bots).ConfigureAwait(false);
        }
        catch (SessionRequestException refused)
        {
            metrics.Refused(refused.Code);
            return Problem(refused.Code, refused.Message);
        }

        try
        {
            var accepted = await speech.SpeakAsync(session, request, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(accepted, Json, statusCode: StatusCodes.Status202Accepted);
        }
        catch (SessionRequestException refused)
        {
            // Counted by the speech service.
            return Problem(refused.Code, refused.Message);
        }
    }

    /// <summary>The JSON body, read with a size limit; a malformed one is a <c>bad_speech</c> refusal, never an exception.</summary>
    private static async Task<SpeechRequest?> ReadSpeechRequestAsync(HttpContext context, BotOptions options)
    {
        // Text of the allowed length, JSON-escaped at worst 6 bytes a character, plus the other fields.
        var limit = (options.MaxSpeechTextLength * 6L) + 1024;
        if (context.Request.ContentLength > limit)
        {
            throw new SessionRequestException(BotErrorCode.SpeechTooLong, $"The body is larger than {limit} bytes; the text limit is {options.MaxSpeechTextLength} characters.");
        }

        if (!context.Request.HasJsonContentType())
        {
            throw new SessionRequestException(BotErrorCode.BadSpeech, "Send application/json: { \"text\": \"...\", \"voice\": \"en-us\", \"rate\": 170, \"pitch\": 50 }.");
        }

        using var body = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > limit)
            {
                throw new SessionRequestException(BotErrorCode.SpeechTooLong, $"The body is larger than {limit} bytes; the text limit is {options.MaxSpeechTextLength} characters.");
            }

            body.Write(chunk, 0, read);
        }

        try
        {
            return JsonSerializer.Deserialize<SpeechRequest>(body.ToArray(), Json);
        }
        catch (JsonException exception)
        {
            throw new SessionRequestException(BotErrorCode.BadSpeech, $"The body is not a speech request: {exception.Message}");
        }
    }

    /// <summary>
    /// The session <paramref name="sessionId"/> if it is active and <paramref name="user"/> joined it; otherwise a refusal
    /// (<c>unknown_session</c> or <c>not_session_owner</c>).
    /// </summary>
    internal static LiveSession Resolve(SessionManager sessions, string? sessionId, ClaimsPrincipal user)
    {
        var session = string.IsNullOrEmpty(sessionId) || sessionId.Length > 64 ? null : sessions.FindBySessionId(sessionId);
        if (session is null || session.IsDisposed)
        {
            throw new SessionRequestException(BotErrorCode.UnknownSession, "There is no active session with this id; GET /api/sessions lists yours.");
        }

        if (session.Owner is null || session.Owner != Subject(user))
        {
            throw new SessionRequestException(BotErrorCode.NotSessionOwner, "Only the user who joined the session (the same 'sub') may feed it.");
        }

        return session;
    }

    private static string? Subject(ClaimsPrincipal user) => user.FindFirst("sub")?.Value;

    internal static int StatusOf(string code) => code switch
    {
        BotErrorCode.NotSessionOwner => StatusCodes.Status403Forbidden,
        BotErrorCode.UnknownSession => StatusCodes.Status404NotFound,
        BotErrorCode.SessionNotReady or BotErrorCode.VoiceBusy or BotErrorCode.SpeechQueueFull => StatusCodes.Status409Conflict,
        BotErrorCode.SpeechTooLong => StatusCodes.Status413PayloadTooLarge,
        BotErrorCode.SpeechUnavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status400BadRequest,
    };

    private static IResult Problem(string code, string detail) =>
        Results.Problem(detail: detail, statusCode: StatusOf(code), extensions: new Dictionary<string, object?> { ["code"] = code });

    private static async Task WriteProblemAsync(HttpContext context, BotMetrics metrics, string code, string detail)
    {
        metrics.Refused(code);
        await Problem(code, detail).ExecuteAsync(context).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5010, Level = LogLevel.Information,
            Message = "Push WebSocket accepted on session {SessionId}: {Format} {SampleRate} Hz, {Channels} channel(s)")]
        public static partial void PushAccepted(ILogger logger, string sessionId, string format, int sampleRate, int channels);

        [LoggerMessage(EventId = 5011, Level = LogLevel.Information,
            Message = "Push WebSocket on session {SessionId} ended: {Seconds:F2} s of audio received, {Refused} message(s) refused")]
        public static partial void PushEnded(ILogger logger, string sessionId, double seconds, long refused);
    }
}
