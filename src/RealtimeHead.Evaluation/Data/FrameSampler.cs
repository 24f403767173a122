using RealtimeHead.Corpus.Dataset;
using RealtimeHead.Imaging;

namespace RealtimeHead.Evaluation.Data;

/// <summary>
/// Random access to the frames and tracks of a set of clips, for training the evaluation networks. Tracks are read once;
/// decoded frames are kept up to <paramref name="cacheFrames"/> (then decoded again on demand) so a large corpus does not
/// fill memory.
/// </summary>
internal sealed class FrameSampler(CorpusReader reader, IReadOnlyList<ClipEntry> clips, int cacheFrames = 4096)
{
    private readonly Dictionary<string, ClipTrack> _tracks = [];
    private readonly Dictionary<string, ClipAudioFeatures> _features = [];
    private readonly Dictionary<(string, int), RgbImage> _frames = [];

    public IReadOnlyList<ClipEntry> Clips { get; } = clips.Count > 0 ? clips : throw new ArgumentException("no clips to sample from", nameof(clips));

    public ClipTrack Track(ClipEntry clip)
    {
        if (!_tracks.TryGetValue(clip.Id, out var track)) _tracks[clip.Id] = track = reader.ReadTrack(clip);
        return track;
    }

    public ClipAudioFeatures Features(ClipEntry clip)
    {
        if (!_features.TryGetValue(clip.Id, out var features)) _features[clip.Id] = features = ClipAudioFeatures.Compute(reader.ReadAudio(clip));
        return features;
    }

    public RgbImage Frame(ClipEntry clip, int index)
    {
        if (_frames.TryGetValue((clip.Id, index), out var image)) return image;
        image = reader.ReadFrame(clip, index);
        if (_frames.Count < cacheFrames) _frames[(clip.Id, index)] = image;
        return image;
    }

    /// <summary>The landmarks of a frame, interleaved (136 numbers).</summary>
    public double[] Landmarks(ClipEntry clip, int index) => Track(clip).Frames[index].Landmarks.SelectMany(p => p).ToArray();
}
