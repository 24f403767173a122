using System.Text.Json;

namespace RealtimeHead.Server.Tests.EndToEnd;

/// <summary>
/// Splits the frames a page measured (<see cref="PageProbe.Measure"/>) into speech and pause frames by the avatar's voice
/// that played with them, and compares how much the mouth region changed from frame to frame in each.
/// A frame is speech when the voice reached <see cref="SpeechLevel"/> of its loud level within ±100 ms (words have short
/// gaps), a pause when it stayed under <see cref="PauseLevel"/> for ±500 ms (well inside a 2 s pause); the rest
/// (edges, syllable gaps) is left out.
/// </summary>
internal sealed record MouthMotion(int SpeechFrames, int PauseFrames, double SpeechMouth, double PauseMouth, double SpeechControl, double PauseControl, double LoudRms)
{
    public const double SpeechLevel = 0.2;
    public const double PauseLevel = 0.02;

    /// <summary>Mean mouth-region change in speech over that in pauses.</summary>
    public double MouthRatio => SpeechMouth / Math.Max(PauseMouth, 1e-3);

    /// <summary>The same for the control region (upper face): how much of the change is the whole image, not the mouth.</summary>
    public double ControlRatio => SpeechControl / Math.Max(PauseControl, 1e-3);

    public static MouthMotion Analyse(JsonElement report)
    {
        var voice = report.GetProperty("voice").EnumerateArray().Select(v => (T: v[0].GetDouble(), Rms: v[1].GetDouble())).ToArray();
        var loud = voice.Length == 0 ? 0 : Percentile(voice.Select(v => v.Rms), 0.95);
        var speech = new List<(double Mouth, double Control)>();
        var pause = new List<(double Mouth, double Control)>();
        foreach (var frame in report.GetProperty("frames").EnumerateArray())
        {
            if (frame.GetProperty("mouth").ValueKind != JsonValueKind.Number)
            {
                continue; // the first frame (or a size change) has nothing to compare with
            }

            var t = frame.GetProperty("t").GetDouble();
            var values = (frame.GetProperty("mouth").GetDouble(), frame.GetProperty("control").GetDouble());
            if (MaxRms(voice, t - 100, t + 100) >= SpeechLevel * loud)
            {
                speech.Add(values);
            }
            else if (HasCoverage(voice, t - 500, t + 500) && MaxRms(voice, t - 500, t + 500) < PauseLevel * loud)
            {
                pause.Add(values);
            }
        }

        return new MouthMotion(
            speech.Count, pause.Count,
            Mean(speech.Select(s => s.Mouth)), Mean(pause.Select(p => p.Mouth)),
            Mean(speech.Select(s => s.Control)), Mean(pause.Select(p => p.Control)),
            loud);
    }

    public override string ToString() => FormattableString.Invariant(
        $"mouth change speech {SpeechMouth:F3} vs pause {PauseMouth:F3} (ratio {MouthRatio:F2}); control region {SpeechControl:F3} vs {PauseControl:F3} (ratio {ControlRatio:F2}); {SpeechFrames} speech / {PauseFrames} pause frames; loud voice RMS {LoudRms:F4}");

    private static double MaxRms((double T, double Rms)[] voice, double from, double to)
    {
        var max = 0.0;
        foreach (var (t, rms) in voice)
        {
            if (t >= from && t <= to)
            {
                max = Math.Max(max, rms);
            }
        }

        return max;
    }

    // A pause needs voice samples over its whole window (not just the recording's start or end).
    private static bool HasCoverage((double T, double Rms)[] voice, double from, double to) =>
        voice.Length > 0 && voice[0].T <= from && voice[^1].T >= to;

    private static double Mean(IEnumerable<double> values) => values.DefaultIfEmpty(double.NaN).Average();

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
