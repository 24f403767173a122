using System.Diagnostics;
using RealtimeHead.Audio.IO;
using RealtimeHead.Audio.Resampling;

namespace RealtimeHead.Audio.Tests;

/// <summary>Signals and files the audio tests share.</summary>
internal static class TestAudio
{
    internal static float[] Sine(double frequency, int sampleRate, int length, double amplitude = 0.5, double phase = 0)
    {
        var samples = new float[length];
        for (var n = 0; n < length; n++) samples[n] = (float)(amplitude * Math.Sin(2 * Math.PI * frequency * n / sampleRate + phase));
        return samples;
    }

    internal static float[] Noise(int length, double amplitude, int seed)
    {
        var random = new Random(seed);
        var samples = new float[length];
        for (var n = 0; n < length; n++) samples[n] = (float)((random.NextDouble() * 2 - 1) * amplitude);
        return samples;
    }

    internal static double Rms(ReadOnlySpan<float> samples)
    {
        double sum = 0;
        foreach (var s in samples) sum += (double)s * s;
        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>artifacts/native/&lt;name&gt; found above the test directory (./setup.sh deps puts models there).</summary>
    internal static string NativeArtifact(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "artifacts", "native", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"artifacts/native/{name} not found above the test directory: run ./setup.sh deps.");
    }

    /// <summary>
    /// Speech from espeak-ng (22.05 kHz), taken to 48 kHz by sox as a browser would deliver it, then to 16 kHz by the
    /// project's own <see cref="Resampler"/>.
    /// </summary>
    internal static float[] Speech16k(string text)
    {
        var directory = Directory.CreateTempSubdirectory("rh-speech-");
        try
        {
            var raw = Path.Combine(directory.FullName, "speech.wav");
            var at48k = Path.Combine(directory.FullName, "speech48k.wav");
            Run("espeak-ng", "-v", "en-us", "-s", "150", "-w", raw, text);
            Run("sox", raw, "-r", "48000", "-b", "16", at48k);
            var audio = WavFile.Read(at48k);
            var resampler = new Resampler();
            var output = new float[resampler.GetOutputLength(audio.Frames) + resampler.DelaySamples];
            var written = resampler.Process(audio.ToMono(), output);
            written += resampler.Flush(output.AsSpan(written));
            return output[..written];
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {stderr}");
    }
}
