namespace RealtimeHead.Audio.Features;

/// <summary>Configuration of <see cref="LogMelFrontEnd"/>. Window (25 ms), hop (10 ms) and FFT size (512) are fixed.</summary>
public sealed record LogMelOptions
{
    /// <summary>Mel filters, in [8, 256] (default 80, as Whisper and most talking-head audio encoders).</summary>
    public int MelBins { get; init; } = 80;

    /// <summary>Lowest filter edge in Hz, in [0, MaxFrequencyHz) (default 0).</summary>
    public double MinFrequencyHz { get; init; }

    /// <summary>Highest filter edge in Hz, in (MinFrequencyHz, 8000] (default 8000, the Nyquist frequency of 16 kHz).</summary>
    public double MaxFrequencyHz { get; init; } = 8000;

    /// <summary>
    /// Smallest mel energy before the natural log, in (0, 1) (default 1e-10, so digital silence gives ln(1e-10) ≈ -23
    /// instead of -∞). Energies are of samples in [-1, 1] through a Hann window, unnormalised FFT.
    /// </summary>
    public double LogFloor { get; init; } = 1e-10;

    /// <summary>Throws one <see cref="ArgumentException"/> listing every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (MelBins is < 8 or > 256) errors.Add($"MelBins must be in [8, 256] (was {MelBins}).");
        if (!(MinFrequencyHz >= 0 && MinFrequencyHz < MaxFrequencyHz)) errors.Add($"MinFrequencyHz must be in [0, MaxFrequencyHz) (was {MinFrequencyHz}).");
        if (!(MaxFrequencyHz > 0 && MaxFrequencyHz <= SpeechAudio.SampleRate / 2)) errors.Add($"MaxFrequencyHz must be in (0, 8000] (was {MaxFrequencyHz}).");
        if (!(LogFloor > 0 && LogFloor < 1)) errors.Add($"LogFloor must be in (0, 1) (was {LogFloor}).");
        if (errors.Count > 0) throw new ArgumentException("Invalid LogMelOptions: " + string.Join(" ", errors));
    }
}
