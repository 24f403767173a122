// The sample bot of RealtimeHead's bot API (src/RealtimeHead.Server/Bots/README.md):
//
//   dotnet run --project samples/RealtimeHead.SampleBot -- --server http://localhost:8080 [--token JWT]
//       (--wav FILE | --say "text" [--voice en-us] [--rate 170] [--pitch 50]) [--session ID]
//
// Without --session it feeds the first active session of the token's user (GET /api/sessions). --wav streams a
// 16-bit PCM WAV (16, 24 or 48 kHz, mono or stereo) in 20 ms messages, paced in real time; --say posts the text to be
// spoken by espeak-ng on the server.
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace RealtimeHead.SampleBot;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        if (!BotArguments.TryParse(args, out var options, out var problem))
        {
            Console.Error.WriteLine(problem);
            Console.Error.WriteLine(BotArguments.Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        using var http = new HttpClient { BaseAddress = options.Server };
        if (options.Token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        }

        try
        {
            var sessionId = options.SessionId ?? await FindSessionAsync(http, cancel.Token);
            if (sessionId is null)
            {
                Console.Error.WriteLine("No active session: open the web client and join first (or pass --session).");
                return 1;
            }

            Console.WriteLine($"Feeding session {sessionId} on {options.Server}");
            return options.WavPath is not null
                ? await StreamWavAsync(options, sessionId, cancel.Token)
                : await SayAsync(http, options, sessionId, cancel.Token);
        }
        catch (HttpRequestException exception)
        {
            Console.Error.WriteLine($"The server could not be reached: {exception.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("Cancelled.");
            return 130;
        }
    }

    /// <summary>The first of the user's active sessions (GET /api/sessions lists them, oldest first).</summary>
    private static async Task<string?> FindSessionAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("/api/sessions", cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await PrintProblemAsync(response, cancellationToken);
            return null;
        }

        using var sessions = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        foreach (var session in sessions.RootElement.EnumerateArray())
        {
            Console.WriteLine($"  session {session.GetProperty("sessionId")} avatar {session.GetProperty("avatarId")} " +
                $"joined {session.GetProperty("joinedAt")} voice {session.GetProperty("voiceSource")} media {session.GetProperty("hasMedia")}");
        }

        return sessions.RootElement.EnumerateArray()
            .Where(s => s.GetProperty("hasMedia").GetBoolean())
            .Select(s => s.GetProperty("sessionId").GetString())
            .FirstOrDefault();
    }

    private static async Task<int> SayAsync(HttpClient http, BotArguments options, string sessionId, CancellationToken cancellationToken)
    {
        var request = new { text = options.Say, voice = options.Voice, rate = options.Rate, pitch = options.Pitch };
        using var response = await http.PostAsJsonAsync($"/api/sessions/{sessionId}/speech", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            await PrintProblemAsync(response, cancellationToken);
            return 1;
        }

        using var accepted = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var root = accepted.RootElement;
        var duration = root.GetProperty("durationMs").GetDouble();
        var ahead = root.GetProperty("queuedAheadMs").GetDouble();
        Console.WriteLine($"Utterance {root.GetProperty("utteranceId")}: {duration / 1000:F2} s of speech, starting in {ahead / 1000:F2} s.");
        return 0;
    }

    private static async Task<int> StreamWavAsync(BotArguments options, string sessionId, CancellationToken cancellationToken)
    {
        if (!Wav.TryRead(options.WavPath!, out var wav, out var problem))
        {
            Console.Error.WriteLine(problem);
            return 1;
        }

        using var socket = new ClientWebSocket();
        if (options.Token is not null)
        {
            // .NET can set headers on a WebSocket; a browser would put the token in ?access_token= instead.
            socket.Options.SetRequestHeader("Authorization", "Bearer " + options.Token);
        }

        var scheme = options.Server.Scheme == "https" ? "wss" : "ws";
        var uri = new UriBuilder(options.Server)
        {
            Scheme = scheme,
            Path = $"/api/sessions/{sessionId}/audio",
            Query = $"format=pcm16&rate={wav.SampleRate}&channels={wav.Channels}",
        }.Uri;
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
        }
        catch (WebSocketException exception)
        {
            Console.Error.WriteLine($"The push socket was refused: HTTP {(int)socket.HttpStatusCode} ({exception.Message}).");
            return 1;
        }

        Console.WriteLine($"Streaming {options.WavPath}: {wav.Duration.TotalSeconds:F2} s, {wav.SampleRate} Hz, {wav.Channels} channel(s).");
        var listening = ListenAsync(socket, cancellationToken);

        // 20 ms per message, sent when due (a little ahead, so the server's small prebuffer never runs dry).
        var bytesPerChunk = wav.SampleRate / 50 * wav.Channels * 2;
        var lead = TimeSpan.FromMilliseconds(100);
        var clock = Stopwatch.StartNew();
        var sent = 0;
        for (var offset = 0; offset < wav.Data.Length && socket.State == WebSocketState.Open; offset += bytesPerChunk)
        {
            var due = TimeSpan.FromMilliseconds(20.0 * sent) - lead;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }

            var length = Math.Min(bytesPerChunk, wav.Data.Length - offset);
            await socket.SendAsync(wav.Data.AsMemory(offset, length), WebSocketMessageType.Binary, true, cancellationToken);
            if (++sent % 50 == 0)
            {
                Console.WriteLine($"  sent {sent / 50.0:F0} s");
            }
        }

        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cancellationToken);
        }

        await listening;
        Console.WriteLine($"Done: {sent} messages; the server closed with {socket.CloseStatus} '{socket.CloseStatusDescription}'.");
        return socket.CloseStatus == WebSocketCloseStatus.NormalClosure ? 0 : 1;
    }

    /// <summary>Prints the server's error messages and its close until the socket closes.</summary>
    private static async Task ListenAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Console.WriteLine($"  server closed: {result.CloseStatus} {result.CloseStatusDescription}");
                    return;
                }

                Console.WriteLine($"  server: {Encoding.UTF8.GetString(buffer, 0, result.Count)}");
            }
        }
        catch (WebSocketException exception)
        {
            Console.WriteLine($"  connection lost: {exception.Message}");
        }
    }

    private static async Task PrintProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(body);
            var code = problem.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : body;
            Console.Error.WriteLine($"HTTP {(int)response.StatusCode} {code}: {detail}");
        }
        catch (JsonException)
        {
            Console.Error.WriteLine($"HTTP {(int)response.StatusCode}: {(body.Length == 0 ? response.ReasonPhrase : body)}");
        }
    }
}

/// <summary>The command line.</summary>
internal sealed record BotArguments(Uri Server, string? Token, string? WavPath, string? Say, string? SessionId, string? Voice, int? Rate, int? Pitch)
{
    public const string Usage =
        "usage: RealtimeHead.SampleBot --server http://localhost:8080 [--token JWT] (--wav FILE | --say \"text\" [--voice en-us] [--rate 170] [--pitch 50]) [--session ID]";

    public static bool TryParse(string[] args, out BotArguments options, out string problem)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        options = null!;
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                problem = $"Unexpected argument '{args[i]}'.";
                return false;
            }

            values[args[i][2..]] = args[++i];
        }

        var unknown = values.Keys.Except(["server", "token", "wav", "say", "session", "voice", "rate", "pitch"]).ToList();
        if (unknown.Count > 0)
        {
            problem = $"Unknown option --{unknown[0]}.";
            return false;
        }

        if (!Uri.TryCreate(values.GetValueOrDefault("server", "http://localhost:8080"), UriKind.Absolute, out var server)
            || server.Scheme is not ("http" or "https"))
        {
            problem = "--server must be an http:// or https:// URL.";
            return false;
        }

        var wav = values.GetValueOrDefault("wav");
        var say = values.GetValueOrDefault("say");
        if ((wav is null) == (say is null))
        {
            problem = "Give exactly one of --wav FILE and --say \"text\".";
            return false;
        }

        int? Number(string key) => values.TryGetValue(key, out var text) && int.TryParse(text, out var n) ? n : null;
        options = new BotArguments(server, values.GetValueOrDefault("token"), wav, say, values.GetValueOrDefault("session"),
            values.GetValueOrDefault("voice"), Number("rate"), Number("pitch"));
        problem = string.Empty;
        return true;
    }
}

/// <summary>A 16-bit PCM WAV file's format and sample bytes (what the push socket takes as-is).</summary>
internal sealed record Wav(int SampleRate, int Channels, byte[] Data)
{
    public TimeSpan Duration => TimeSpan.FromSeconds(Data.Length / (2.0 * Channels * SampleRate));

    public static bool TryRead(string path, out Wav wav, out string problem)
    {
        wav = null!;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException exception)
        {
            problem = $"{path}: {exception.Message}";
            return false;
        }

        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
        {
            problem = $"{path} is not a WAV file.";
            return false;
        }

        int format = 0, channels = 0, rate = 0, bits = 0;
        for (var position = 12; position + 8 <= bytes.Length;)
        {
            var id = Encoding.ASCII.GetString(bytes, position, 4);
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4)), (uint)(bytes.Length - position - 8));
            var body = bytes.AsSpan(position + 8, size);
            if (id == "fmt " && size >= 16)
            {
                format = BinaryPrimitives.ReadUInt16LittleEndian(body);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(body[2..]);
                rate = BinaryPrimitives.ReadInt32LittleEndian(body[4..]);
                bits = BinaryPrimitives.ReadUInt16LittleEndian(body[14..]);
            }
            else if (id == "data")
            {
                if (format != 1 || bits != 16 || channels is not (1 or 2) || rate is not (16_000 or 24_000 or 48_000))
                {
                    problem = $"{path} is {rate} Hz, {bits}-bit, {channels} channel(s), format {format}; the push socket takes 16-bit PCM at " +
                        "16, 24 or 48 kHz, mono or stereo (convert with: sox IN.wav -r 16000 -c 1 -b 16 OUT.wav).";
                    return false;
                }

                var data = body[..(size - (size % (2 * channels)))].ToArray();
                wav = new Wav(rate, channels, data);
                problem = string.Empty;
                return true;
            }

            position += 8 + size + (size & 1);
        }

        problem = $"{path} has no data chunk.";
        return false;
    }
}
