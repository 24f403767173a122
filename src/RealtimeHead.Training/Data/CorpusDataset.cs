using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Imaging;
using RealtimeHead.Model.Training;
using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Training.Data;

/// <summary>
/// Training data from a corpus in the dataset format (docs/dataset-format.md), whoever produced it: it reads only the
/// documented files and fields (never the synthetic-only ones).
/// <para>
/// On open, every clip is checked (track.json parses and has the frames, the audio is 16 kHz with exactly
/// frameCount × 640 samples, every frame and mask file exists, the clip has at least T frames); a clip that fails is
/// reported (<see cref="Problems"/>, logged with its path) and skipped, never fatal. Its audio is turned into log-mel
/// features (<see cref="AudioFeatures"/>), its landmarks into lip boxes (<see cref="LipBox"/>). The identities are split
/// into disjoint training and validation sets by <see cref="CorpusDatasetOptions.Seed"/>.
/// </para>
/// <para>
/// <see cref="Batch"/> n draws B training clips and a window of T consecutive frames in each from a generator seeded by
/// (Seed, n) alone, so a resumed run sees the batches the uninterrupted run would have. A frame or mask that fails to
/// decode marks its clip bad (reported once) and the draw moves on; the draws consumed are the same whether the clip
/// was already known bad or not, so the batch sequence does not depend on when a bad file was found.
/// </para>
/// The source image of a clip is its first frame (single-shot); targets, masks and poses are those of the window.
/// Not thread-safe.
/// </summary>
public sealed partial class CorpusDataset
{
    /// <summary>Mask channel of the inner face (docs/dataset-format.md, Masks: R).</summary>
    public const int InnerFaceChannel = 0;

    private const int MaxDrawsPerClip = 1000;

    private readonly ILogger _logger;
    private readonly List<CorpusProblem> _problems = [];
    private readonly HashSet<string> _badClips = new(StringComparer.Ordinal);

    private CorpusDataset(CorpusReader reader, CorpusDatasetOptions options, ILogger logger)
    {
        Reader = reader;
        Options = options;
        _logger = logger;
    }

    public CorpusReader Reader { get; }

    public CorpusDatasetOptions Options { get; }

    /// <summary>Usable clips of the training identities, ordered by id.</summary>
    public IReadOnlyList<DatasetClip> TrainClips { get; private set; } = [];

    /// <summary>Usable clips of the held-out identities, ordered by id.</summary>
    public IReadOnlyList<DatasetClip> ValidationClips { get; private set; } = [];

    public IReadOnlyList<string> TrainIdentities { get; private set; } = [];

    public IReadOnlyList<string> ValidationIdentities { get; private set; } = [];

    /// <summary>Focal length of the first usable clip in image widths (fx / width), for a check against the model's.</summary>
    public double? FocalLength { get; private set; }

    /// <summary>Every entry skipped so far, in the order found.</summary>
    public IReadOnlyList<CorpusProblem> Problems => [.. _problems];

    /// <summary>Opens the corpus at <paramref name="root"/>, checks and loads every clip's metadata and audio features.</summary>
    /// <exception cref="CorpusFormatException">corpus.json is missing or malformed (nothing can be read at all).</exception>
    /// <exception cref="NotSupportedException">The frames are not square.</exception>
    public static CorpusDataset Open(string root, CorpusDatasetOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        var reader = CorpusReader.Open(root);
        if (reader.Manifest.Width != reader.Manifest.Height)
        {
            throw new NotSupportedException($"{Path.Combine(root, DatasetFormat.ManifestFile)}: frames are {reader.Manifest.Width}x{reader.Manifest.Height}; the model needs square frames (crop them when preparing the corpus)");
        }
        var dataset = new CorpusDataset(reader, options, logger ?? NullLogger.Instance);
        dataset.Load();
        return dataset;
    }

    private void Load()
    {
        var clips = new List<DatasetClip>();
        foreach (var entry in Reader.Manifest.Clips.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            if (TryLoadClip(entry) is { } clip) clips.Add(clip);
        }

        var identities = clips.Select(c => c.Identity).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var random = new Random(MixSeed(Options.Seed, -1));
        var shuffled = identities.ToArray();
        random.Shuffle(shuffled);
        var held = identities.Count >= 2 && Options.ValidationFraction > 0
            ? Math.Clamp((int)Math.Round(Options.ValidationFraction * identities.Count), 1, identities.Count - 1)
            : 0;
        var validation = shuffled.Take(held).ToHashSet(StringComparer.Ordinal);
        ValidationIdentities = [.. identities.Where(validation.Contains)];
        TrainIdentities = [.. identities.Where(i => !validation.Contains(i))];
        TrainClips = [.. clips.Where(c => !validation.Contains(c.Identity))];
        ValidationClips = [.. clips.Where(c => validation.Contains(c.Identity))];
        Log.Opened(_logger, Reader.Root, TrainClips.Count, TrainIdentities.Count, ValidationClips.Count, ValidationIdentities.Count, _problems.Count);
    }

    private DatasetClip? TryLoadClip(ClipEntry entry)
    {
        var folder = Reader.ClipFolder(entry);
        ClipTrack track;
        short[] audio;
        try
        {
            track = Reader.ReadTrack(entry);
            audio = Reader.ReadAudio(entry);
        }
        catch (CorpusFormatException e)
        {
            return Skip(entry, e.FilePath, e.Message[(e.FilePath.Length + 2)..]);
        }
        catch (FileNotFoundException e)
        {
            return Skip(entry, e.FileName ?? folder, "file not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Skip(entry, folder, e.Message);
        }

        var manifest = Reader.Manifest;
        if (track.Width != manifest.Width || track.Height != manifest.Height)
        {
            return Skip(entry, Path.Combine(folder, DatasetFormat.TrackFile), $"frames are {track.Width}x{track.Height}, the corpus is {manifest.Width}x{manifest.Height}");
        }
        var expectedSamples = (long)entry.FrameCount * DatasetFormat.SamplesPerFrame;
        if (audio.Length != expectedSamples)
        {
            return Skip(entry, Path.Combine(folder, DatasetFormat.AudioFile), $"{audio.Length} samples, expected {expectedSamples} ({entry.FrameCount} frames × {DatasetFormat.SamplesPerFrame})");
        }
        if (entry.FrameCount < Options.Frames)
        {
            return Skip(entry, folder, $"{entry.FrameCount} frames, fewer than the {Options.Frames} a training window needs");
        }

        var poses = new float[entry.FrameCount * 16];
        var boxes = new float[entry.FrameCount * 4];
        for (var i = 0; i < entry.FrameCount; i++)
        {
            var frame = track.Frames[i];
            if (frame.CameraToWorld.Any(v => !double.IsFinite(v)) || frame.Landmarks.Any(l => !double.IsFinite(l[0]) || !double.IsFinite(l[1])))
            {
                return Skip(entry, Path.Combine(folder, DatasetFormat.TrackFile), $"frame {i} has a non-finite pose or landmark");
            }
            for (var k = 0; k < 16; k++) poses[i * 16 + k] = (float)frame.CameraToWorld[k];
            var (x0, y0, x1, y1) = LipBox.FromLandmarks(frame.Landmarks, track.Width, track.Height);
            (boxes[i * 4], boxes[i * 4 + 1], boxes[i * 4 + 2], boxes[i * 4 + 3]) = (x0, y0, x1, y1);
        }

        var clip = new DatasetClip(entry, folder, poses, boxes, AudioFeatures.Compute(audio, entry.FrameCount, Options.MelBins));
        for (var i = 0; i < entry.FrameCount; i++)
        {
            if (!File.Exists(clip.FramePath(i))) return Skip(entry, clip.FramePath(i), "frame file not found");
            if (!File.Exists(clip.MaskPath(i))) return Skip(entry, clip.MaskPath(i), "mask file not found");
        }

        if (FocalLength is null)
        {
            FocalLength = track.Intrinsics.Fx / track.Width;
        }
        return clip;
    }

    private DatasetClip? Skip(ClipEntry entry, string path, string problem)
    {
        _badClips.Add(entry.Id);
        Report(path, problem);
        return null;
    }

    private void Report(string path, string problem)
    {
        _problems.Add(new CorpusProblem(path, problem));
        Log.Skipped(_logger, path, problem);
    }

    /// <summary>Warns when the corpus camera's focal length (image widths) is not the model's.</summary>
    public void CheckFocalLength(double expected)
    {
        if (FocalLength is { } focal && Math.Abs(focal - expected) > 0.05 * expected) Log.FocalMismatch(_logger, focal, expected);
    }

    /// <summary>
    /// Batch <paramref name="index"/>: B clips × T frames of training clips, a pure function of (Seed, index) over the
    /// usable clips. Tensors belong to the caller's dispose scope.
    /// </summary>
    /// <exception cref="InvalidOperationException">No training clip can be loaded.</exception>
    public TrainingBatch Batch(long index)
    {
        var windows = SampleWindows(TrainClips, index, Options.BatchSize);
        return Compose(windows);
    }

    /// <summary>
    /// Draws <paramref name="count"/> windows of T frames from <paramref name="clips"/> with a generator seeded by
    /// (Seed, <paramref name="index"/>), loading each; clips that fail to load are reported and drawn around.
    /// </summary>
    public IReadOnlyList<LoadedWindow> SampleWindows(IReadOnlyList<DatasetClip> clips, long index, int count)
    {
        ArgumentNullException.ThrowIfNull(clips);
        var random = new Random(MixSeed(Options.Seed, index));
        var windows = new List<LoadedWindow>(count);
        for (var b = 0; b < count; b++)
        {
            LoadedWindow? window = null;
            for (var draw = 0; draw < MaxDrawsPerClip && window is null && clips.Count > 0; draw++)
            {
                // Both numbers are drawn before the clip is checked, so the stream does not depend on what is known bad.
                var clip = clips[random.Next(clips.Count)];
                var start = random.Next(clip.FrameCount - Options.Frames + 1);
                if (!_badClips.Contains(clip.Id)) window = TryLoadWindow(clip, start, Options.Frames);
            }
            windows.Add(window ?? throw new InvalidOperationException(
                $"no usable clip in {Reader.Root}: {clips.Count} candidates, {_problems.Count} entries skipped (see the reported problems)"));
        }
        return windows;
    }

    /// <summary>
    /// Frames [start, start + frames) of <paramref name="clip"/> with masks, resized to S, and its source (frame 0); null
    /// when a file fails to decode (reported, and the clip is marked bad).
    /// </summary>
    public LoadedWindow? TryLoadWindow(DatasetClip clip, int start, int frames)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + frames, clip.FrameCount);
        using var scope = NewDisposeScope();
        var images = new List<Tensor>(frames + 1);
        var masks = new List<Tensor>(frames);
        foreach (var index in Enumerable.Range(start, frames).Prepend(0))
        {
            var image = TryReadImage(clip, clip.FramePath(index));
            if (image is null) return null;
            images.Add(ImageTensors.ToTensor(image));
        }
        for (var index = start; index < start + frames; index++)
        {
            var mask = TryReadImage(clip, clip.MaskPath(index));
            if (mask is null) return null;
            masks.Add(ImageTensors.MaskChannel(mask, InnerFaceChannel));
        }
        var size = Options.ImageSize;
        var resized = ImageTensors.Resize(stack(images, 0), size);
        var window = new LoadedWindow(clip, start, frames,
            resized.select(0, 0).contiguous().MoveToOuterDisposeScope(),
            resized.narrow(0, 1, frames).contiguous().MoveToOuterDisposeScope(),
            ImageTensors.Resize(stack(masks, 0), size).MoveToOuterDisposeScope());
        return window;
    }

    private RgbImage? TryReadImage(DatasetClip clip, string path)
    {
        try
        {
            var image = RgbImage.Load(path);
            if (image.Width == Reader.Manifest.Width && image.Height == Reader.Manifest.Height) return image;
            MarkBad(clip, path, $"image is {image.Width}x{image.Height}, the corpus is {Reader.Manifest.Width}x{Reader.Manifest.Height}");
        }
        catch (Exception e) when (e is ImageCodecException or IOException or UnauthorizedAccessException)
        {
            MarkBad(clip, path, e is ImageCodecException ? $"cannot decode ({e.Message})" : e.Message);
        }
        return null;
    }

    private void MarkBad(DatasetClip clip, string path, string problem)
    {
        if (_badClips.Add(clip.Id)) Report(path, problem);
    }

    /// <summary>Whether <paramref name="clip"/> has been found unusable.</summary>
    public bool IsBad(DatasetClip clip) => _badClips.Contains(clip.Id);

    /// <summary>The training batch of <paramref name="windows"/> (all of T frames).</summary>
    public TrainingBatch Compose(IReadOnlyList<LoadedWindow> windows)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var (b, t) = (windows.Count, windows[0].Frames);
        var (w, dim) = (Options.AudioWindow, Options.MelBins);
        var syncRows = AudioFeatures.SpanRows(t, MinimumSyncRows);
        var audio = new float[b * t * w * dim];
        var sync = new float[b * syncRows * dim];
        var poses = new float[b * t * 16];
        var sourcePoses = new float[b * 16];
        var boxes = new float[b * t * 4];
        for (var i = 0; i < b; i++)
        {
            var window = windows[i];
            var clip = window.Clip;
            for (var f = 0; f < t; f++)
            {
                var frame = window.Start + f;
                clip.Features.CopyWindow(frame, w, audio.AsSpan((i * t + f) * w * dim, w * dim));
                clip.Poses.AsSpan(frame * 16, 16).CopyTo(poses.AsSpan((i * t + f) * 16));
                clip.LipBoxes.AsSpan(frame * 4, 4).CopyTo(boxes.AsSpan((i * t + f) * 4));
            }
            clip.Poses.AsSpan(0, 16).CopyTo(sourcePoses.AsSpan(i * 16));
            clip.Features.CopySpan(window.Start, t, MinimumSyncRows, sync.AsSpan(i * syncRows * dim, syncRows * dim));
        }
        return new TrainingBatch(
            stack(windows.Select(x => x.Source).ToList(), 0),
            tensor(sourcePoses, [b, 4, 4]),
            tensor(audio, [b, t, w, dim]),
            tensor(poses, [b, t, 4, 4]),
            stack(windows.Select(x => x.Targets).ToList(), 0),
            stack(windows.Select(x => x.InnerFaceMask).ToList(), 0),
            tensor(boxes, [b, t, 4]),
            tensor(sync, [b, syncRows, dim]));
    }

    /// <summary>The lip-sync discriminator's audio branch needs at least 4 feature rows.</summary>
    public const int MinimumSyncRows = 4;

    /// <summary>The feature rows spanning frames [start, start + frames) of <paramref name="clip"/>: [rows, MelBins].</summary>
    public Tensor SyncAudio(DatasetClip clip, int start, int frames)
    {
        ArgumentNullException.ThrowIfNull(clip);
        var rows = AudioFeatures.SpanRows(frames, MinimumSyncRows);
        var values = new float[rows * Options.MelBins];
        clip.Features.CopySpan(start, frames, MinimumSyncRows, values);
        return tensor(values, [rows, Options.MelBins]);
    }

    /// <summary>The clip's 16 kHz audio (read again from disk).</summary>
    public short[] ReadAudio(DatasetClip clip) => Reader.ReadAudio(clip.Entry);

    /// <summary>A well-mixed 32-bit seed from (seed, index) (SplitMix64 finaliser).</summary>
    internal static int MixSeed(long seed, long index)
    {
        unchecked
        {
            var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)index + 0x632BE59BD9B4E019UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z & 0x7FFF_FFFF);
        }
    }
}

/// <summary>
/// T frames of one clip as loaded: source (frame 0) [3, S, S] and targets [T, 3, S, S] in [-1, 1], inner-face masks
/// [T, 1, S, S] in [0, 1]. The tensors belong to the dispose scope that was current when it was loaded.
/// </summary>
public sealed record LoadedWindow(DatasetClip Clip, int Start, int Frames, Tensor Source, Tensor Targets, Tensor InnerFaceMask);
