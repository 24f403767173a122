namespace RealtimeHead.Server.Bots;

/// <summary>Text to speech on the server. Never throws for bad input or a failed engine: the result carries the error.</summary>
internal interface ISpeechSynthesizer
{
    /// <summary>Speaks <paramref name="text"/>; the samples are 48 kHz mono.</summary>
    Task<SynthesisResult> SynthesizeAsync(string text, string voice, int rate, int pitch, CancellationToken cancellationToken);
}

/// <summary>48 kHz mono speech, or a <see cref="BotErrorCode"/> and what went wrong.</summary>
internal sealed record SynthesisResult(short[]? Samples, string? ErrorCode, string? Message)
{
    public static SynthesisResult Success(short[] samples) => new(samples, null, null);

    public static SynthesisResult Failure(string code, string message) => new(null, code, message);
}
