using RealtimeHead.Evaluation.Metrics;

namespace RealtimeHead.Evaluation.Tests.Metrics;

public sealed class LandmarkDistanceTests
{
    private static double[] Grid() => Enumerable.Range(0, 136).Select(i => (double)(i * 3 % 64)).ToArray();

    private static double[] Shift(double[] points, Range which, double dx, double dy)
    {
        var copy = points.ToArray();
        var (start, count) = which.GetOffsetAndLength(68);
        for (var p = start; p < start + count; p++)
        {
            copy[2 * p] += dx;
            copy[2 * p + 1] += dy;
        }
        return copy;
    }

    [Fact]
    public void Frame_EveryPointMovedBy3And4_IsFiveForFaceAndMouth()
    {
        var truth = Grid();
        var moved = Shift(truth, 0..68, 3, -4);

        Assert.Equal(5, LandmarkDistance.Frame(moved, truth, LandmarkDistance.FacePoints), 12);
        Assert.Equal(5, LandmarkDistance.Frame(moved, truth, LandmarkDistance.MouthPoints), 12);
    }

    [Fact]
    public void Frame_OnlyMouthMoved_FaceLmdIsTheMouthShare()
    {
        var truth = Grid();
        var moved = Shift(truth, 48..68, 6, 8);

        Assert.Equal(10, LandmarkDistance.Frame(moved, truth, LandmarkDistance.MouthPoints), 12);
        Assert.Equal(10 * 20 / 68.0, LandmarkDistance.Frame(moved, truth, LandmarkDistance.FacePoints), 12);
    }

    [Fact]
    public void Sequence_AveragesFrames()
    {
        var truth = Grid();

        var lmd = LandmarkDistance.Sequence([truth, Shift(truth, 0..68, 0, 2)], [truth, truth], LandmarkDistance.FacePoints);

        Assert.Equal(1, lmd, 12);
    }

    [Fact]
    public void Frame_WrongLength_Throws()
    {
        Assert.Throws<ArgumentException>(() => LandmarkDistance.Frame(new double[134], new double[136], LandmarkDistance.FacePoints));
    }
}
