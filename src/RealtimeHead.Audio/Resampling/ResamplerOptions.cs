namespace RealtimeHead.Audio.Resampling;

/// <summary>Configuration of a <see cref="Resampler"/>. Defaults: 48 kHz to 16 kHz, flat to 7 kHz, 80 dB above 8 kHz.</summary>
public sealed record ResamplerOptions
{
    /// <summary>Input rate in Hz (default 48000, the WebRTC/Opus media clock). Must be a multiple of <see cref="OutputSampleRate"/>.</summary>
    public int InputSampleRate { get; init; } = 48_000;

    /// <summary>Output rate in Hz (default 16000, what the speech models take).</summary>
    public int OutputSampleRate { get; init; } = 16_000;

    /// <summary>Passband edge as a fraction of the output Nyquist frequency, in (0, 1) (default 0.875: 7 kHz at 16 kHz).</summary>
    public double PassbandFraction { get; init; } = 0.875;

    /// <summary>
    /// Attenuation from the output Nyquist frequency up, in dB, in [40, 140] (default 80). Everything that would alias
    /// lies there; 80 dB keeps aliases below 16-bit quantisation noise of a full-scale signal.
    /// </summary>
    public double StopbandAttenuationDb { get; init; } = 80;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (InputSampleRate <= 0) errors.Add($"InputSampleRate must be positive (was {InputSampleRate}).");
        if (OutputSampleRate <= 0) errors.Add($"OutputSampleRate must be positive (was {OutputSampleRate}).");
        if (InputSampleRate > 0 && OutputSampleRate > 0 && InputSampleRate % OutputSampleRate != 0)
        {
            errors.Add($"Only integer decimation is supported: InputSampleRate {InputSampleRate} is not a multiple of " +
                $"OutputSampleRate {OutputSampleRate}.");
        }
        if (!(PassbandFraction > 0 && PassbandFraction < 1)) errors.Add($"PassbandFraction must be in (0, 1) (was {PassbandFraction}).");
        if (!(StopbandAttenuationDb >= 40 && StopbandAttenuationDb <= 140))
            errors.Add($"StopbandAttenuationDb must be in [40, 140] (was {StopbandAttenuationDb}).");
        if (errors.Count > 0) throw new ArgumentException("Invalid ResamplerOptions: " + string.Join(" ", errors));
    }
}
