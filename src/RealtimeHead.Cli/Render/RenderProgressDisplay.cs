using System.Globalization;
using RealtimeHead.Pipeline.Offline;

namespace RealtimeHead.Cli.Render;

/// <summary>Progress of a render on standard error: a line per 10 % (logs stay readable; stdout keeps the summary).</summary>
internal sealed class RenderProgressDisplay(TextWriter error) : IProgress<OfflineRenderProgress>
{
    private int _lastDecile = -1;

    public void Report(OfflineRenderProgress value)
    {
        var decile = value.FramesTotal == 0 ? 10 : value.FramesDone * 10 / value.FramesTotal;
        if (decile == _lastDecile)
        {
            return;
        }

        _lastDecile = decile;
        var rate = value.FramesDone / Math.Max(value.Elapsed.TotalSeconds, 1e-9);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render: {decile * 10,3}%  frame {value.FramesDone}/{value.FramesTotal}  {rate:F1} frames/s"));
    }
}
