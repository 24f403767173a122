using RealtimeHead.Training.Reporting;

namespace RealtimeHead.Training.Tests.Reporting;

public sealed class LossLogTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("rh-losslog-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public void Create_KeepUpToStep_DropsLaterRowsAndContinues()
    {
        var path = Path.Combine(_temp.FullName, "losses.csv");
        var log = LossLog.Create(path, ["a", "b"]);
        for (var step = 1; step <= 3; step++) log.Append(new LossRow(step, [step * 0.5, step == 2 ? double.NaN : 1e-7], step * 1.25));

        var resumed = LossLog.Create(path, ["a", "b"], keepUpToStep: 2);
        resumed.Append(new LossRow(3, [9, 9], 4));

        Assert.Equal(["step,a,b,seconds", "1,0.5,1E-07,1.25", "2,1,,2.5", "3,9,9,4"], File.ReadAllLines(path));
        Assert.Equal(2.5, LossLog.Create(path, ["a", "b"], keepUpToStep: 2).LastSeconds);
        Assert.True(double.IsNaN(resumed.Rows[1].Values[1]));
    }

    [Fact]
    public void Create_OtherColumnsOrGarbage_StartsEmpty()
    {
        var path = Path.Combine(_temp.FullName, "other.csv");
        File.WriteAllLines(path, ["step,x,seconds", "1,2,3"]);

        Assert.Empty(LossLog.Create(path, ["a"], keepUpToStep: 10).Rows);

        File.WriteAllLines(path, ["step,a,seconds", "1,oops,3", "2,1", "3,0.5,1"]);
        Assert.Equal(3, Assert.Single(LossLog.Create(path, ["a"], keepUpToStep: 10).Rows).Step);
    }

    [Fact]
    public void Append_WrongValueCount_Throws()
    {
        var log = LossLog.Create(Path.Combine(_temp.FullName, "n.csv"), ["a", "b"]);

        Assert.Throws<ArgumentException>(() => log.Append(new LossRow(1, [1], 0)));
    }
}
