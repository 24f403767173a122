using System.Globalization;
using System.Numerics;
using System.Text.Json;
using RealtimeHead.Corpus.Animation;
using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Corpus.Rendering;
using RealtimeHead.Corpus.Speech;
using RealtimeHead.Imaging;

namespace RealtimeHead.Corpus;

/// <summary>
/// Writes a synthetic talking-head corpus in the dataset format (docs/dataset-format.md): for every identity
/// and clip, espeak-ng speech of generated sentences, a mouth animated from its phonemes, blinks, gaze and
/// head motion, rendered frames with masks, camera poses and 68 landmarks. Deterministic: the same options
/// (seed included) give byte-identical files, whatever the thread count.
/// </summary>
public sealed class CorpusGenerator
{
    private readonly CorpusOptions options;

    /// <exception cref="ArgumentException">The options are invalid (all problems listed).</exception>
    public CorpusGenerator(CorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.EnsureValid();
    }

    /// <summary>The name of identity <paramref name="index"/> in the manifest.</summary>
    public static string IdentityName(int index) => string.Create(CultureInfo.InvariantCulture, $"syn{index:D4}");

    /// <summary>The id (and folder name) of clip <paramref name="clip"/> of identity <paramref name="identity"/>.</summary>
    public static string ClipId(int identity, int clip) => string.Create(CultureInfo.InvariantCulture, $"{IdentityName(identity)}_{clip:D2}");

    /// <summary>Generates the corpus into <paramref name="outputDirectory"/>, which must not exist or be empty.</summary>
    /// <exception cref="IOException">The directory exists and is not empty.</exception>
    public CorpusManifest Generate(string outputDirectory, IProgress<CorpusProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        if (Directory.Exists(outputDirectory) && Directory.EnumerateFileSystemEntries(outputDirectory).Any())
        {
            throw new IOException($"{outputDirectory}: output directory is not empty; choose a new or empty directory.");
        }

        if (File.Exists(outputDirectory))
        {
            throw new IOException($"{outputDirectory}: is a file, not a directory.");
        }

        Directory.CreateDirectory(outputDirectory);
        var frames = options.FramesPerClip;
        var clipCount = options.Identities * options.ClipsPerIdentity;
        var framesTotal = (long)clipCount * frames;
        long framesDone = 0;
        var entries = new List<ClipEntry>(clipCount);
        for (var identity = 0; identity < options.Identities; identity++)
        {
            var head = HeadIdentity.Create(identity, options.Seed);
            for (var clip = 0; clip < options.ClipsPerIdentity; clip++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var clipIndex = entries.Count;
                var id = ClipId(identity, clip);
                var folder = Path.Combine("clips", id);
                progress?.Report(new CorpusProgress(clipIndex, clipCount, id, CorpusStage.Speech, 0, frames, framesDone, framesTotal));
                WriteClip(Path.Combine(outputDirectory, folder), id, head, clip, frames, done =>
                {
                    framesDone++;
                    progress?.Report(new CorpusProgress(clipIndex, clipCount, id, CorpusStage.Rendering, done, frames, framesDone, framesTotal));
                }, cancellationToken);
                entries.Add(new ClipEntry(id, IdentityName(identity), folder.Replace('\\', '/'), frames));
            }
        }

        var manifest = new CorpusManifest
        {
            Format = DatasetFormat.Name,
            Version = DatasetFormat.Version,
            Fps = DatasetFormat.Fps,
            SampleRate = DatasetFormat.SampleRate,
            Width = options.ImageSize,
            Height = options.ImageSize,
            Source = "synthetic",
            Clips = entries,
        };
        File.WriteAllBytes(Path.Combine(outputDirectory, DatasetFormat.ManifestFile), JsonSerializer.SerializeToUtf8Bytes(manifest, DatasetJsonContext.Default.CorpusManifest));
        progress?.Report(new CorpusProgress(clipCount - 1, clipCount, entries[^1].Id, CorpusStage.Finished, frames, frames, framesTotal, framesTotal));
        return manifest;
    }

    /// <summary>Everything that varies per clip, drawn from the corpus seed.</summary>
    internal ClipPlan Plan(HeadIdentity head, int clip, int frames)
    {
        var seed = options.Seed;
        var random = new Random(Seeds.Derive(seed, head.Id, clip, 1));
        var voices = VoiceProfile.StandardVoices;
        var voice = new VoiceProfile(voices[random.Next(voices.Count)], random.Next(140, 211), random.Next(30, 71), random.Next(35, 86));
        var lead = random.NextDouble() * 0.3;
        var seconds = (double)frames / DatasetFormat.Fps;
        // Pauses between sentences make speech slower than the nominal rate: ask for more text than the clip
        // holds so speech runs to the end (the tail is cut).
        var text = new SentenceGenerator(Seeds.Derive(seed, head.Id, clip, 2)).NextText((seconds * 1.3) + 0.5, voice.Rate);
        var lighting = Lighting.Create(new Random(Seeds.Derive(seed, head.Id, clip, 3)));
        return new ClipPlan(voice, text, lead, lighting, Seeds.Derive(seed, head.Id, clip, 4), Seeds.Derive(seed, head.Id, clip, 5));
    }

    /// <summary>Per-frame face states for a clip: mouth from the phonemes, blinks, gaze and head motion.</summary>
    internal FaceState[] Animate(SpeechTrack speech, int frames, int motionSeed)
    {
        var mouth = new MouthAnimator().Animate(speech.Phonemes, frames, DatasetFormat.Fps);
        var motion = new MotionGenerator(motionSeed) { MotionScale = options.MotionScale };
        var blinks = motion.Blinks(frames, DatasetFormat.Fps);
        var poses = motion.Poses(frames, DatasetFormat.Fps, mouth.Select(m => m.JawOpen).ToArray());
        var gaze = GazeGenerator.Generate(frames, DatasetFormat.Fps, Seeds.Derive(motionSeed, 9));
        var states = new FaceState[frames];
        for (var f = 0; f < frames; f++)
        {
            states[f] = new FaceState(mouth[f], blinks[f], gaze[f].X, gaze[f].Y, poses[f]);
        }

        return states;
    }

    private void WriteClip(string folder, string id, HeadIdentity head, int clip, int frames, Action<int> frameDone, CancellationToken cancellationToken)
    {
        var plan = Plan(head, clip, frames);
        var utterance = SpeechSynthesizer.Synthesize(plan.Text, plan.Voice);
        var speech = SpeechTrack.FromUtterance(utterance, DatasetFormat.SampleRate, frames * DatasetFormat.SamplesPerFrame, plan.LeadSeconds);
        var states = Animate(speech, frames, plan.MotionSeed);

        var framesFolder = Path.Combine(folder, DatasetFormat.FramesFolder);
        var masksFolder = Path.Combine(folder, DatasetFormat.MasksFolder);
        Directory.CreateDirectory(framesFolder);
        Directory.CreateDirectory(masksFolder);
        File.WriteAllBytes(Path.Combine(folder, DatasetFormat.AudioFile), WavFile.Encode(speech.Samples, speech.SampleRate));

        var rig = new CameraRig(options.ImageSize, options.FocalLength, options.CameraDistance);
        var renderer = new HeadRenderer(rig, options.ImageSize);
        var records = new FrameRecord[frames];
        for (var f = 0; f < frames; f++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = states[f];
            var scene = new HeadScene(head, state);
            var render = renderer.Render(scene, plan.Lighting, plan.BackgroundSeed, options.MaxDegreeOfParallelism);
            File.WriteAllBytes(Path.Combine(framesFolder, DatasetFormat.FrameFileName(f)), render.Image.Encode(ImageFileFormat.Png));
            File.WriteAllBytes(Path.Combine(masksFolder, DatasetFormat.FrameFileName(f)), render.Masks.Encode(ImageFileFormat.Png));
            records[f] = new FrameRecord
            {
                Index = f,
                Time = (double)f / DatasetFormat.Fps,
                CameraToWorld = rig.CameraToWorld(state.Pose).Select(v => Math.Round(v, 7)).ToArray(),
                Landmarks = ProjectLandmarks(rig, scene),
                Mouth = new MouthRecord(Math.Round(state.Mouth.JawOpen, 5), Math.Round(state.Mouth.LipWidth, 5), Math.Round(state.Mouth.Rounding, 5), Math.Round(state.Mouth.LipPress, 5)),
                Blink = Math.Round(state.Blink, 5),
            };
            frameDone(f + 1);
        }

        var intrinsics = rig.Intrinsics;
        var track = new ClipTrack
        {
            Clip = id,
            Identity = IdentityName(head.Id),
            Fps = DatasetFormat.Fps,
            SampleRate = DatasetFormat.SampleRate,
            Width = options.ImageSize,
            Height = options.ImageSize,
            FrameCount = frames,
            Intrinsics = new IntrinsicsRecord(intrinsics.Fx, intrinsics.Fy, intrinsics.Cx, intrinsics.Cy),
            Frames = records,
            Phonemes = speech.Phonemes.Select(p => new PhonemeRecord(p.Phoneme, p.Viseme.ToString(), p.Start, p.End)).ToArray(),
            Text = plan.Text,
            Voice = new VoiceRecord(plan.Voice.Voice, plan.Voice.Rate, plan.Voice.Pitch, plan.Voice.PitchRange),
        };
        File.WriteAllBytes(Path.Combine(folder, DatasetFormat.TrackFile), JsonSerializer.SerializeToUtf8Bytes(track, DatasetJsonContext.Compact.ClipTrack));
    }

    /// <summary>Projects the 68 landmarks of <paramref name="scene"/> to pixels (3 decimals).</summary>
    internal static double[][] ProjectLandmarks(CameraRig rig, HeadScene scene)
    {
        Matrix4x4.Invert(rig.CameraToModel(scene.State.Pose), out var modelToCamera);
        return FaceLandmarks.Compute(scene)
            .Select(p => rig.Project(p, modelToCamera))
            .Select(px => new[] { Math.Round((double)px.X, 3), Math.Round((double)px.Y, 3) })
            .ToArray();
    }

    /// <summary>The random choices of one clip.</summary>
    internal sealed record ClipPlan(VoiceProfile Voice, string Text, double LeadSeconds, Lighting Lighting, int MotionSeed, int BackgroundSeed);
}
