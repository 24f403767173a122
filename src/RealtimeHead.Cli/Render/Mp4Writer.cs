using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using RealtimeHead.Media;
using RealtimeHead.Pipeline.Offline;

namespace RealtimeHead.Cli.Render;

/// <summary>
/// Writes the pipeline's output to an mp4 (H.264 when Debian's ffmpeg has libx264, else MPEG-4 part 2; AAC voice) with
/// two ffmpeg runs: the I420 frames are piped as rawvideo into a video-only file while the run goes on, the voice is
/// kept as raw PCM beside it, and <see cref="CompleteAsync"/> muxes both into a temporary file in the target directory
/// and renames it over the target. Until then nothing exists under the target name; disposing an incomplete writer
/// kills ffmpeg and deletes every temporary file, so a failed or cancelled run leaves nothing behind.
/// </summary>
internal sealed class Mp4Writer : IOfflineMediaSink, IAsyncDisposable
{
    private readonly string _output;
    private readonly string _videoPath;
    private readonly string _audioPath;
    private readonly string _partPath;
    private readonly Process _encoder;
    private readonly Task<string> _encoderErrors;
    private readonly Stream _video;
    private readonly FileStream _audio;
    private readonly int _width;
    private readonly int _height;
    private bool _completed;

    private Mp4Writer(string output, int width, int height, int frameRate)
    {
        _output = output;
        _width = width;
        _height = height;
        var directory = Path.GetDirectoryName(output)!;
        var stem = "." + Path.GetFileName(output) + "." + Guid.NewGuid().ToString("N")[..8];
        _videoPath = Path.Combine(directory, stem + ".video.mp4");
        _audioPath = Path.Combine(directory, stem + ".voice.pcm");
        _partPath = Path.Combine(directory, stem + ".part.mp4");
        _audio = new FileStream(_audioPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        try
        {
            _encoder = Ffmpeg.Start(
            [
                "-f", "rawvideo", "-pix_fmt", "yuv420p", "-video_size", $"{width}x{height}",
                "-framerate", frameRate.ToString(CultureInfo.InvariantCulture), "-i", "-",
                .. Ffmpeg.VideoEncoder.Arguments, "-an", "-f", "mp4", "-y", _videoPath,
            ], redirectInput: true);
        }
        catch
        {
            _audio.Dispose();
            File.Delete(_audioPath);
            throw;
        }

        _encoderErrors = _encoder.StandardError.ReadToEndAsync();
        _video = _encoder.StandardInput.BaseStream;
        _ = _encoder.StandardOutput.ReadToEndAsync();
    }

    /// <summary>The encoder's name, for the summary line.</summary>
    public static string EncoderName => Ffmpeg.VideoEncoder.Name;

    /// <summary>Starts writing <paramref name="output"/> (the directory must exist).</summary>
    public static Mp4Writer Create(string output, int width, int height, int frameRate)
    {
        if (width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException($"Frames are {width}x{height}; the encoders need even sizes.");
        }

        return new Mp4Writer(Path.GetFullPath(output), width, height, frameRate);
    }

    public async ValueTask WriteVideoAsync(VideoFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Width != _width || frame.Height != _height)
        {
            throw new InvalidOperationException($"A {frame.Width}x{frame.Height} frame reached a {_width}x{_height} video.");
        }

        try
        {
            await _video.WriteAsync(frame.Y, cancellationToken).ConfigureAwait(false);
            await _video.WriteAsync(frame.U, cancellationToken).ConfigureAwait(false);
            await _video.WriteAsync(frame.V, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new IOException($"ffmpeg stopped taking frames: {await EncoderErrorsAsync().ConfigureAwait(false)}", e);
        }
    }

    public async ValueTask WriteAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        // s16le: the machines this runs on are little-endian (checked when decoding).
        await _audio.WriteAsync(MemoryMarshal.AsBytes(samples.Span).ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes the video, muxes the voice in as AAC and renames the result to the target name.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _video.FlushAsync(cancellationToken).ConfigureAwait(false);
        _video.Close();
        await _encoder.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (_encoder.ExitCode != 0)
        {
            throw new IOException($"ffmpeg could not encode the video (exit {_encoder.ExitCode}): {await EncoderErrorsAsync().ConfigureAwait(false)}");
        }

        await _audio.FlushAsync(cancellationToken).ConfigureAwait(false);
        await _audio.DisposeAsync().ConfigureAwait(false);
        var (exitCode, _, errors) = await Ffmpeg.RunAsync(
        [
            "-i", _videoPath, "-f", "s16le", "-ar", "48000", "-ac", "1", "-i", _audioPath,
            "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-b:a", "128k",
            "-movflags", "+faststart", "-f", "mp4", "-y", _partPath,
        ], cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new IOException($"ffmpeg could not mux the voice into the video (exit {exitCode}): {errors}");
        }

        File.Move(_partPath, _output, overwrite: true);
        _completed = true;
        DeleteTemporaries();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            Ffmpeg.Kill(_encoder);
            try
            {
                await _encoder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Deleting an open file is fine on Linux; the process goes when it goes.
            }
        }

        try
        {
            _video.Dispose();
        }
        catch (IOException)
        {
            // The pipe is broken when ffmpeg died: nothing left to flush.
        }

        await _audio.DisposeAsync().ConfigureAwait(false);
        _encoder.Dispose();
        DeleteTemporaries();
    }

    private void DeleteTemporaries()
    {
        foreach (var path in (string[])[_videoPath, _audioPath, _partPath])
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover hidden temporary is not a result.
            }
        }
    }

    private async Task<string> EncoderErrorsAsync()
    {
        var finished = await Task.WhenAny(_encoderErrors, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        return finished == _encoderErrors ? Ffmpeg.Tail(await _encoderErrors.ConfigureAwait(false)) : "no message";
    }
}
