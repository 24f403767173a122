using RealtimeHead.Audio.IO;
using RealtimeHead.Media;

namespace RealtimeHead.Cli.Render;

/// <summary>
/// The voice of <c>realtimehead render</c> as 48 kHz mono 16-bit PCM (the media clock's rate, as WebRTC delivers it).
/// A 48 kHz WAV is read directly; every other file (other WAV rates, MP3, Ogg, M4A, video with sound ...) is decoded by
/// <c>ffmpeg -i X -f s16le -ac 1 -ar 48000 -</c>.
/// </summary>
internal static class AudioInput
{
    public static async Task<short[]> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new RenderInputException($"--audio {path}: file not found.");
        }

        short[] samples;
        if (TryReadWav48k(path) is { } direct)
        {
            samples = direct;
        }
        else
        {
            var (exitCode, output, errors) = await Ffmpeg.RunAsync(["-i", path, "-vn", "-f", "s16le", "-ac", "1", "-ar", "48000", "-"], cancellationToken)
                .ConfigureAwait(false);
            if (exitCode != 0)
            {
                throw new RenderInputException($"--audio {path}: not a readable audio file (ffmpeg: {errors}).");
            }

            samples = new short[output.Length / 2];
            Buffer.BlockCopy(output, 0, samples, 0, samples.Length * 2);
            if (!BitConverter.IsLittleEndian)
            {
                throw new PlatformNotSupportedException("s16le PCM is read on little-endian machines only.");
            }
        }

        if (samples.Length == 0)
        {
            throw new RenderInputException($"--audio {path}: the audio is empty (no samples to render).");
        }

        return samples;
    }

    /// <summary>The samples of a parseable 48 kHz WAV, or null (not a WAV, or another rate: ffmpeg handles it).</summary>
    private static short[]? TryReadWav48k(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!WavFile.TryParse(bytes, out var wav, out _) || wav!.SampleRate != MediaClock.SampleRate || wav.Channels < 1)
        {
            return null;
        }

        var mono = wav.ToMono();
        var samples = new short[mono.Length];
        for (var i = 0; i < mono.Length; i++)
        {
            samples[i] = (short)Math.Clamp(MathF.Round(mono[i] * 32768f), short.MinValue, short.MaxValue);
        }

        return samples;
    }
}
