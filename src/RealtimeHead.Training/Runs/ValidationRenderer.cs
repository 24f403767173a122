using RealtimeHead.Audio.IO;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Imaging;
using RealtimeHead.Model;
using RealtimeHead.Torch;
using RealtimeHead.Training.Data;
using RealtimeHead.Training.Reporting;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Training.Runs;

/// <summary>
/// Renders held-out clips with the model as it trains: the source is the clip's first frame (single-shot, as at
/// inference), each target frame is driven by its own audio window and camera pose, and every ray is rendered (no mask).
/// The model is left in eval mode; the trainer switches it back at its next step.
/// </summary>
public static class ValidationRenderer
{
    private const int Chunk = 4;
    private static readonly (byte R, byte G, byte B) Gap = (255, 255, 255);

    /// <summary>Frames <paramref name="frames"/> of <paramref name="clip"/>, rendered: [N, 3, S, S] in [-1, 1], or null if a file fails to load.</summary>
    public static Tensor? Render(S3DNeRF model, CorpusDataset dataset, DatasetClip clip, IReadOnlyList<int> frames)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(frames);
        var config = model.Config;
        using var scope = NewDisposeScope();
        var first = dataset.TryLoadWindow(clip, 0, 1);
        if (first is null) return null;
        model.eval();
        var rendered = new List<Tensor>();
        using (no_grad())
        {
            for (var offset = 0; offset < frames.Count; offset += Chunk)
            {
                var chunk = frames.Skip(offset).Take(Chunk).ToList();
                var n = chunk.Count;
                var audio = new float[n * config.AudioWindow * config.AudioFeatureDim];
                var poses = new float[n * 16];
                for (var i = 0; i < n; i++)
                {
                    clip.Features.CopyWindow(chunk[i], config.AudioWindow, audio.AsSpan(i * config.AudioWindow * config.AudioFeatureDim, config.AudioWindow * config.AudioFeatureDim));
                    clip.Poses.AsSpan(chunk[i] * 16, 16).CopyTo(poses.AsSpan(i * 16));
                }
                var source = first.Source.unsqueeze(0).expand(n, 3, config.ImageSize, config.ImageSize);
                var sourcePose = tensor(clip.Poses.AsSpan(0, 16).ToArray(), [1, 4, 4]).expand(n, 4, 4);
                using var output = model.forward(source, sourcePose, tensor(audio, [n, config.AudioWindow, config.AudioFeatureDim]), tensor(poses, [n, 4, 4]));
                rendered.Add(output.Fine!.detach().clone());
            }
        }
        return cat(rendered, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// A grid of up to <paramref name="clipCount"/> validation clips: per clip a row of ground truth (the source, then
    /// <paramref name="columns"/> frames spread over the clip) above a row of renders of the same frames. Returns the grid
    /// and the mean PSNR (dB) of the renders, or null when there is nothing to show.
    /// </summary>
    public static (RgbImage Grid, double Psnr)? Grid(S3DNeRF model, CorpusDataset dataset, IReadOnlyList<DatasetClip> clips, int clipCount = 2, int columns = 4)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var size = model.Config.ImageSize;
        var rows = new List<(RgbImage[] Truth, RgbImage[] Render)>();
        var psnr = new List<double>();
        foreach (var clip in clips.Where(c => !dataset.IsBad(c)).Take(clipCount))
        {
            using var scope = NewDisposeScope();
            var frames = Enumerable.Range(0, columns).Select(i => (int)Math.Round((i + 1) * (clip.FrameCount - 1) / (double)columns)).ToList();
            var truth = new List<Tensor>();
            Tensor? source = null;
            foreach (var frame in frames)
            {
                var window = dataset.TryLoadWindow(clip, frame, 1);
                if (window is null) break;
                source ??= window.Source;
                truth.Add(window.Targets.select(0, 0));
            }
            if (source is null || truth.Count != frames.Count) continue;
            var rendered = Render(model, dataset, clip, frames);
            if (rendered is null) continue;
            var targets = stack(truth, 0);
            var mse = rendered.sub(targets).div(2).square().mean().item<double>();  // on [0, 1] images
            psnr.Add(10 * Math.Log10(1 / Math.Max(mse, 1e-10)));
            rows.Add(([ImageTensors.ToImage(source), .. truth.Select(ImageTensors.ToImage)],
                      [.. Enumerable.Range(0, frames.Count).Select(i => ImageTensors.ToImage(rendered.select(0, i)))]));
        }
        if (rows.Count == 0) return null;

        const int Border = 2;
        var cell = size + Border;
        var grid = new RgbImage(cell * (columns + 1) + Border, cell * 2 * rows.Count + Border);
        Canvas.Fill(grid, 0, 0, grid.Width, grid.Height, Gap);
        for (var r = 0; r < rows.Count; r++)
        {
            var (truthRow, renderRow) = rows[r];
            for (var c = 0; c < truthRow.Length; c++) Canvas.Paste(grid, truthRow[c], Border + c * cell, Border + 2 * r * cell);
            Canvas.Fill(grid, Border, Border + (2 * r + 1) * cell, size, size, (64, 64, 64));
            for (var c = 0; c < renderRow.Length; c++) Canvas.Paste(grid, renderRow[c], Border + (c + 1) * cell, Border + (2 * r + 1) * cell);
        }
        return (grid, psnr.Average());
    }

    /// <summary>
    /// An mp4 of the first <paramref name="seconds"/> of <paramref name="clip"/>: ground truth left, render right, with the
    /// clip's audio. Returns null on success, else why no video was written.
    /// </summary>
    public static string? Video(S3DNeRF model, CorpusDataset dataset, DatasetClip clip, string outputPath, double seconds, string ffmpeg,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(clip);
        var size = model.Config.ImageSize;
        var count = Math.Clamp((int)Math.Round(seconds * DatasetFormat.Fps), 1, clip.FrameCount);
        var frames = new List<RgbImage>(count);
        for (var offset = 0; offset < count; offset += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var indices = Enumerable.Range(offset, Math.Min(Chunk, count - offset)).ToList();
            var window = dataset.TryLoadWindow(clip, offset, indices.Count);
            var rendered = window is null ? null : Render(model, dataset, clip, indices);
            if (window is null || rendered is null) return $"{clip.Id}: frames could not be loaded";
            for (var i = 0; i < indices.Count; i++)
            {
                var frame = new RgbImage(2 * size, size);
                Canvas.Paste(frame, ImageTensors.ToImage(window.Targets.select(0, i)), 0, 0);
                Canvas.Paste(frame, ImageTensors.ToImage(rendered.select(0, i)), size, 0);
                frames.Add(frame);
            }
        }

        var wav = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, $".{Path.GetFileNameWithoutExtension(outputPath)}.wav");
        try
        {
            var audio = dataset.ReadAudio(clip);
            var samples = new float[Math.Min(audio.Length, count * DatasetFormat.SamplesPerFrame)];
            for (var i = 0; i < samples.Length; i++) samples[i] = audio[i] / 32768f;
            WavFile.Write(wav, new WavAudio(DatasetFormat.SampleRate, 1, samples));
            return FfmpegVideo.TryWrite(ffmpeg, outputPath, 2 * size, size, DatasetFormat.Fps, frames, wav, cancellationToken);
        }
        catch (IOException e)
        {
            return e.Message;
        }
        finally
        {
            File.Delete(wav);
        }
    }
}
