using RealtimeHead.Media;
using RealtimeHead.Rendering;

namespace RealtimeHead.Pipeline.Idle;

/// <summary>
/// Slight, smooth head motion so a silent face never looks frozen: each axis is a sum of three slow sinusoids
/// (0.05–0.35 Hz) with seeded random frequencies and phases, a pure function of the media timestamp. Repeated or
/// re-rendered frames of the same instant get the same pose, and one seed always gives the same motion.
/// Blinks are the renderer's business.
/// </summary>
internal sealed class IdlePoseGenerator
{
    private const int Components = 3;
    private readonly (double Frequency, double Phase, double Weight)[][] _axes;
    private readonly float[] _amplitudes;

    /// <param name="seed">Seed of the motion (the pipeline derives it from the session id).</param>
    /// <param name="amplitudeDegrees">Peak yaw; pitch is 0.7 of it and roll 0.4.</param>
    public IdlePoseGenerator(int seed, double amplitudeDegrees)
    {
        var random = new Random(seed);
        var amplitude = (float)(amplitudeDegrees * Math.PI / 180);
        _amplitudes = [amplitude, amplitude * 0.7f, amplitude * 0.4f];
        _axes = new (double, double, double)[3][];
        for (var axis = 0; axis < 3; axis++)
        {
            var parts = new (double Frequency, double Phase, double Weight)[Components];
            var total = 0.0;
            for (var c = 0; c < Components; c++)
            {
                parts[c] = (0.05 + (random.NextDouble() * 0.30), random.NextDouble() * 2 * Math.PI, 0.5 + random.NextDouble());
                total += parts[c].Weight;
            }

            // Normalising by the weight sum keeps the peak within the amplitude.
            for (var c = 0; c < Components; c++)
            {
                parts[c].Weight /= total;
            }

            _axes[axis] = parts;
        }
    }

    /// <summary>Pose at a media-clock position.</summary>
    public HeadPose PoseAt(long mediaTimestamp)
    {
        var seconds = (double)mediaTimestamp / MediaClock.SampleRate;
        return new HeadPose(Axis(0, seconds), Axis(1, seconds), Axis(2, seconds));
    }

    private float Axis(int axis, double seconds)
    {
        var sum = 0.0;
        foreach (var (frequency, phase, weight) in _axes[axis])
        {
            sum += weight * Math.Sin((2 * Math.PI * frequency * seconds) + phase);
        }

        return (float)(sum * _amplitudes[axis]);
    }
}
