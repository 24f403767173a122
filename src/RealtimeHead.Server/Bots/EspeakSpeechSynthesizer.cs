using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RealtimeHead.Audio.IO;
using RealtimeHead.Server.Configuration;

namespace RealtimeHead.Server.Bots;

/// <summary>
/// Speech with the <c>espeak-ng</c> command line: <c>espeak-ng --stdout -b 1 -v VOICE -s RATE -p PITCH</c>, the text on
/// standard input, a WAV (22 050 Hz, 16-bit mono) on standard output, converted to 48 kHz.
/// <para>
/// Why a process and not libespeak-ng in-process (RealtimeHead.Corpus's <c>SpeechSynthesizer</c>): the text comes
/// from API callers, and libespeak-ng 1.51 has had memory-safety bugs on crafted input (CVE-2023-49990 … 49994); a
/// crash or hang of a child process costs one utterance, not the server and every call on it. A process also has no
/// process-global state to serialise (the corpus code holds one lock and reloads the library per utterance for that
/// reason), can be killed on <see cref="BotOptions.SpeechTimeout"/>, and keeps the corpus generator out of the
/// server. The cost is a process start (a few ms; a sentence takes about 60 ms in all).
/// </para>
/// At most <see cref="BotOptions.MaxConcurrentSyntheses"/> run at once. The text goes through stdin, never argv, so it
/// cannot be taken for an option; the voice is checked by <see cref="SpeechRequest.IsValidVoice"/>.
/// </summary>
internal sealed partial class EspeakSpeechSynthesizer : ISpeechSynthesizer, IDisposable
{
    /// <summary>espeak-ng's output rate for its formant voices.</summary>
    private const int EspeakRate = 22_050;

    private readonly BotOptions _options;
    private readonly ILogger<EspeakSpeechSynthesizer> _logger;
    private readonly SemaphoreSlim _slots;

    public EspeakSpeechSynthesizer(IOptions<RealtimeHeadOptions> options, ILogger<EspeakSpeechSynthesizer> logger)
    {
        _options = options.Value.Bots;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentSyntheses, _options.MaxConcurrentSyntheses);
    }

    public async Task<SynthesisResult> SynthesizeAsync(string text, string voice, int rate, int pitch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!SpeechRequest.IsValidVoice(voice))
        {
            return SynthesisResult.Failure(BotErrorCode.BadVoice, "The voice must be an espeak-ng voice name such as en-us or en+f3.");
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(text, voice, rate, pitch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task<SynthesisResult> RunAsync(string text, string voice, int rate, int pitch, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_options.EspeakPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };

        // -b 1: the input is UTF-8 whatever the server's locale.
        foreach (var argument in (string[])["--stdout", "-b", "1", "-v", voice, "-s", Invariant(rate), "-p", Invariant(pitch)])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException)
        {
            Log.EspeakUnavailable(_logger, _options.EspeakPath, exception);
            return SynthesisResult.Failure(BotErrorCode.SpeechUnavailable, $"espeak-ng could not be started ({_options.EspeakPath}).");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SpeechTimeout);

        // A WAV header and 16-bit samples at 22 050 Hz for the longest allowed utterance.
        var maxBytes = 1024 + (long)(_options.MaxUtteranceDuration.TotalSeconds * EspeakRate * 2);
        var output = ReadLimitedAsync(process.StandardOutput.BaseStream, maxBytes, timeout.Token);
        var errors = ReadLimitedAsync(process.StandardError.BaseStream, 4096, timeout.Token);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(text.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // espeak-ng exited before reading the text (an unknown voice, or a crash): its exit code says which.
            }

            var (wav, complete) = await output.ConfigureAwait(false);
            var (stderr, _) = await errors.ConfigureAwait(false);
            if (!complete)
            {
                Kill(process);
                return SynthesisResult.Failure(BotErrorCode.SpeechTooLong,
                    $"The speech is longer than Bots:MaxUtteranceDuration ({_options.MaxUtteranceDuration.TotalSeconds:F0} s); split the text.");
            }

            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            var message = Encoding.UTF8.GetString(stderr).Trim();
            if (process.ExitCode != 0)
            {
                if (message.Contains("voice", StringComparison.OrdinalIgnoreCase))
                {
                    return SynthesisResult.Failure(BotErrorCode.BadVoice, $"espeak-ng has no voice '{voice}'.");
                }

                Log.EspeakFailed(_logger, process.ExitCode, message);
                return SynthesisResult.Failure(BotErrorCode.SpeechUnavailable, $"espeak-ng failed (exit code {process.ExitCode}).");
            }

            if (!WavFile.TryParse(wav, out var audio, out var problem) || audio!.Frames == 0 || audio.SampleRate is < 8000 or > 48_000)
            {
                Log.EspeakFailed(_logger, process.ExitCode, problem);
                return SynthesisResult.Failure(BotErrorCode.SpeechUnavailable, "espeak-ng produced no usable audio.");
            }

            var mono = audio.ToMono();
            var samples = new short[mono.Length];
            for (var i = 0; i < mono.Length; i++)
            {
                samples[i] = (short)Math.Clamp(MathF.Round(mono[i] * 32768f), short.MinValue, short.MaxValue);
            }

            return SynthesisResult.Success(PcmUpsampler.Convert(samples, audio.SampleRate));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            Log.EspeakTimedOut(_logger, _options.SpeechTimeout.TotalSeconds);
            return SynthesisResult.Failure(BotErrorCode.SpeechUnavailable, $"espeak-ng took longer than Bots:SpeechTimeout ({_options.SpeechTimeout.TotalSeconds:F0} s).");
        }
        finally
        {
            Kill(process);
        }
    }

    /// <summary>Reads a stream to its end or to <paramref name="limit"/> bytes; false when it had more.</summary>
    private static async Task<(byte[] Data, bool Complete)> ReadLimitedAsync(Stream stream, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (buffer.ToArray(), true);
            }

            if (buffer.Length + read > limit)
            {
                return (buffer.ToArray(), false);
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (Exception exception) when (exception is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    private static string Invariant(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "espeak-ng ({Path}) could not be started; speech requests fail with speech_unavailable")]
        public static partial void EspeakUnavailable(ILogger logger, string path, Exception exception);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "espeak-ng failed with exit code {ExitCode}: {Message}")]
        public static partial void EspeakFailed(ILogger logger, int exitCode, string message);

        [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "espeak-ng took longer than {TimeoutSeconds} s and was killed")]
        public static partial void EspeakTimedOut(ILogger logger, double timeoutSeconds);
    }
}
