using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Imaging;
using RealtimeHead.Training.Data;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Training.Tests.Data;

[Collection(TinyCorpusCollection.Name)]
public sealed class CorpusDatasetTests(TinyCorpus corpus)
{
    private static CorpusDatasetOptions Options(double validation = 0.5, long seed = 3) =>
        CorpusDatasetOptions.For(TinyCorpus.Config, batchSize: 2, validationFraction: validation, seed: seed);

    [Fact]
    public void Batch_TinyCorpus_HasTheTrainerShapesAndRanges()
    {
        using var scope = NewDisposeScope();
        var dataset = CorpusDataset.Open(corpus.Directory, Options(validation: 0));
        var config = TinyCorpus.Config;

        var batch = dataset.Batch(1);

        Assert.Equal(new long[] { 2, 3, 32, 32 }, batch.Source.shape);
        Assert.Equal(new long[] { 2, 4, 4 }, batch.SourcePose.shape);
        Assert.Equal(new long[] { 2, 2, config.AudioWindow, config.AudioFeatureDim }, batch.Audio.shape);
        Assert.Equal(new long[] { 2, 2, 4, 4 }, batch.TargetPoses.shape);
        Assert.Equal(new long[] { 2, 2, 3, 32, 32 }, batch.Targets.shape);
        Assert.Equal(new long[] { 2, 2, 1, 32, 32 }, batch.InnerFaceMask!.shape);
        Assert.Equal(new long[] { 2, 2, 4 }, batch.LipBoxes!.shape);
        Assert.Equal(new long[] { 2, 4, config.AudioFeatureDim }, batch.SyncAudio!.shape);
        Assert.InRange(batch.Targets.min().item<float>(), -1f, 1f);
        Assert.InRange(batch.Targets.max().item<float>(), -1f, 1f);
        Assert.InRange(batch.InnerFaceMask.min().item<float>(), 0f, 1f);
        Assert.True(batch.InnerFaceMask.max().item<float>() == 1f, "the inner face is in every frame");
        Assert.Equal(1f, batch.SourcePose[0, 3, 3].item<float>());
    }

    [Fact]
    public void Batch_SameIndex_SameBatch_OtherIndex_OtherWindows()
    {
        using var scope = NewDisposeScope();
        var dataset = CorpusDataset.Open(corpus.Directory, Options(validation: 0));
        var again = CorpusDataset.Open(corpus.Directory, Options(validation: 0));

        var first = dataset.Batch(7);
        var second = again.Batch(7);

        Assert.True(TinyCorpus.Same(first.Targets, second.Targets));
        Assert.True(TinyCorpus.Same(first.Audio, second.Audio));
        var others = Enumerable.Range(8, 4).Select(i => dataset.Batch(i).Targets).ToList();
        Assert.Contains(others, o => !TinyCorpus.Same(o, first.Targets));
    }

    [Fact]
    public void Batch_AudioWindows_AreThoseOfTheTargetFrames()
    {
        using var scope = NewDisposeScope();
        var dataset = CorpusDataset.Open(corpus.Directory, Options(validation: 0) with { BatchSize = 1 });
        var config = TinyCorpus.Config;
        var window = dataset.SampleWindows(dataset.TrainClips, 4, 1)[0];

        var batch = dataset.Compose([window]);

        for (var f = 0; f < 2; f++)
        {
            var frame = window.Start + f;
            var expected = new float[config.AudioWindow * config.AudioFeatureDim];
            window.Clip.Features.CopyWindow(frame, config.AudioWindow, expected);
            Assert.Equal(expected, batch.Audio[0, f].contiguous().data<float>());
            // Row W/2 of frame i's window is feature 2i, the 20 ms that starts at the frame's instant.
            Assert.Equal(window.Clip.Features.Frame(2 * frame).ToArray(), batch.Audio[0, f, config.AudioWindow / 2].contiguous().data<float>());
            Assert.Equal(window.Clip.Poses.AsSpan(frame * 16, 16).ToArray(), batch.TargetPoses[0, f].contiguous().data<float>());
        }
        Assert.Equal(window.Clip.Features.Frame(2 * window.Start).ToArray(), batch.SyncAudio![0, 0].contiguous().data<float>());
    }

    [Fact]
    public void Open_TinyCorpus_LipBoxesLieInsideTheFrameAndHoldTheLips()
    {
        var dataset = CorpusDataset.Open(corpus.Directory, Options(validation: 0));
        var reader = CorpusReader.Open(corpus.Directory);

        foreach (var clip in dataset.TrainClips)
        {
            var track = reader.ReadTrack(clip.Entry);
            for (var i = 0; i < clip.FrameCount; i++)
            {
                var (x0, y0, x1, y1) = (clip.LipBoxes[4 * i], clip.LipBoxes[4 * i + 1], clip.LipBoxes[4 * i + 2], clip.LipBoxes[4 * i + 3]);
                Assert.True(0 <= x0 && x0 < x1 && x1 <= 1 && 0 <= y0 && y0 < y1 && y1 <= 1, $"{clip.Id} frame {i}: box ({x0}, {y0}, {x1}, {y1})");
                Assert.InRange(y0, 0.4f, 1f); // the mouth is in the lower part of a portrait
                for (var k = LipBox.FirstLipLandmark; k <= LipBox.LastLipLandmark; k++)
                {
                    var (x, y) = (track.Frames[i].Landmarks[k][0] / track.Width, track.Frames[i].Landmarks[k][1] / track.Height);
                    Assert.InRange(x, x0, x1);
                    Assert.InRange(y, y0, y1);
                }
            }
        }
    }

    [Fact]
    public void LipBox_LipsAtTheFrameEdge_IsMovedInside()
    {
        var landmarks = Enumerable.Range(0, 68).Select(_ => new[] { 62.0, 63.0 }).ToArray();
        landmarks[48] = [50, 60];
        landmarks[54] = [64, 64];

        var (x0, y0, x1, y1) = LipBox.FromLandmarks(landmarks, 64, 64);

        Assert.Equal(1f, x1, 5);
        Assert.Equal(1f, y1, 5);
        Assert.True(x0 >= 0 && y0 >= 0 && x1 - x0 > 14 / 64f);
    }

    [Theory]
    [InlineData(0.5, 1)]
    [InlineData(0.9, 2)]
    public void Open_Split_IsIdentityDisjointAndSeeded(double fraction, long seed)
    {
        var dataset = CorpusDataset.Open(corpus.Directory, Options(fraction, seed));
        var again = CorpusDataset.Open(corpus.Directory, Options(fraction, seed));

        Assert.Single(dataset.ValidationIdentities);   // 2 identities: one held out, one kept for training
        Assert.Single(dataset.TrainIdentities);
        Assert.Empty(dataset.TrainIdentities.Intersect(dataset.ValidationIdentities));
        Assert.All(dataset.TrainClips, c => Assert.Contains(c.Identity, dataset.TrainIdentities));
        Assert.All(dataset.ValidationClips, c => Assert.Contains(c.Identity, dataset.ValidationIdentities));
        Assert.Equal(dataset.ValidationIdentities, again.ValidationIdentities);
    }

    [Fact]
    public void Open_NoValidationFraction_KeepsEveryIdentityForTraining()
    {
        var dataset = CorpusDataset.Open(corpus.Directory, Options(validation: 0));

        Assert.Equal(2, dataset.TrainClips.Count);
        Assert.Empty(dataset.ValidationClips);
        Assert.Empty(dataset.Problems);
    }

    [Fact]
    public void Batch_CorruptFrame_IsReportedOnceAndTheClipSkipped()
    {
        using var scope = NewDisposeScope();
        var root = corpus.Copy();
        var broken = CorpusReader.Open(root).Manifest.Clips[0];
        var path = Path.Combine(root, broken.Path, DatasetFormat.FramesFolder, DatasetFormat.FrameFileName(0)); // frame 0: every window's source
        File.WriteAllBytes(path, [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);
        var dataset = CorpusDataset.Open(root, Options(validation: 0));

        var batches = Enumerable.Range(1, 6).Select(i => dataset.Batch(i)).ToList();

        var problem = Assert.Single(dataset.Problems);
        Assert.Equal(path, problem.Path);
        Assert.Contains("decode", problem.Problem);
        Assert.True(dataset.IsBad(dataset.TrainClips.Single(c => c.Id == broken.Id)));
        Assert.All(batches, b => Assert.Equal(2, b.Targets.size(0)));
    }

    [Fact]
    public void Batch_BadClipKnownOrNot_GivesTheSameBatches()
    {
        using var scope = NewDisposeScope();
        var root = corpus.Copy();
        var broken = CorpusReader.Open(root).Manifest.Clips[1];
        File.WriteAllBytes(Path.Combine(root, broken.Path, DatasetFormat.FramesFolder, DatasetFormat.FrameFileName(0)), [1, 2, 3]);
        var early = CorpusDataset.Open(root, Options(validation: 0));
        var late = CorpusDataset.Open(root, Options(validation: 0));
        for (var i = 1; i <= 4; i++) early.Batch(i); // finds the bad clip before batch 5

        Assert.True(TinyCorpus.Same(early.Batch(5).Targets, late.Batch(5).Targets));
    }

    [Theory]
    [InlineData("track")]
    [InlineData("audio")]
    [InlineData("missing-frame")]
    [InlineData("missing-mask")]
    [InlineData("missing-audio")]
    public void Open_BrokenClip_IsReportedByPathAndSkipped(string damage)
    {
        var root = corpus.Copy();
        var clip = CorpusReader.Open(root).Manifest.Clips[0];
        var folder = Path.Combine(root, clip.Path);
        var path = damage switch
        {
            "track" => Path.Combine(folder, DatasetFormat.TrackFile),
            "audio" => Path.Combine(folder, DatasetFormat.AudioFile),
            "missing-frame" => Path.Combine(folder, DatasetFormat.FramesFolder, DatasetFormat.FrameFileName(12)),
            "missing-audio" => Path.Combine(folder, DatasetFormat.AudioFile),
            _ => Path.Combine(folder, DatasetFormat.MasksFolder, DatasetFormat.FrameFileName(24)),
        };
        switch (damage)
        {
            case "track":
                File.WriteAllText(path, "{ \"clip\": ");
                break;
            case "audio":
                var bytes = File.ReadAllBytes(path);
                var shortened = new RealtimeHead.Audio.IO.WavAudio(16000, 1, new float[640 * 10]);
                RealtimeHead.Audio.IO.WavFile.Write(path, shortened);
                Assert.NotEqual(bytes.Length, new FileInfo(path).Length);
                break;
            default:
                File.Delete(path);
                break;
        }

        var dataset = CorpusDataset.Open(root, Options(validation: 0));

        var problem = Assert.Single(dataset.Problems);
        Assert.Equal(path, problem.Path);
        Assert.DoesNotContain(dataset.TrainClips, c => c.Id == clip.Id);
        Assert.Single(dataset.TrainClips);
        using var scope = NewDisposeScope();
        Assert.Equal(2, dataset.Batch(1).Targets.size(0)); // still trains on the good clip
    }

    [Fact]
    public void Open_NoCorpus_ThrowsNamingTheManifest()
    {
        var empty = corpus.NewDirectory("empty");

        var error = Assert.Throws<CorpusFormatException>(() => CorpusDataset.Open(empty, Options()));

        Assert.Equal(Path.Combine(empty, DatasetFormat.ManifestFile), error.FilePath);
    }

    [Fact]
    public void ImageTensors_RoundTrip_KeepsThePixels()
    {
        var image = RgbImage.Load(Path.Combine(corpus.Directory, CorpusReader.Open(corpus.Directory).Manifest.Clips[0].Path, DatasetFormat.FramesFolder, DatasetFormat.FrameFileName(3)));
        using var scope = NewDisposeScope();

        var back = ImageTensors.ToImage(ImageTensors.ToTensor(image));

        Assert.Equal(image.Pixels, back.Pixels);
    }
}
