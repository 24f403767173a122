using System.Diagnostics;
using System.Globalization;

namespace RealtimeHead.Server.Benchmarks;

/// <summary>
/// CPU time of this process (the server, plus the small Playwright client) and of its descendants (Playwright's
/// driver and Chromium), read from /proc, so a window's CPU share can be split between server and browser on the
/// same two cores.
/// </summary>
internal static class ProcessUsage
{
    // USER_HZ: the unit of utime/stime in /proc/<pid>/stat; 100 on every Linux ABI .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>CPU time used so far: (this process, its descendants).</summary>
    public static (TimeSpan Server, TimeSpan Browser) CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return (self.TotalProcessorTime, DescendantsCpu(self.Id));
    }

    /// <summary>Resident set size of this process in MiB.</summary>
    public static double ServerRssMiB()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The 1-minute load average, as /proc/loadavg prints it.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static TimeSpan DescendantsCpu(int root)
    {
        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid ... utime stime": comm may hold spaces and parentheses, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                ticks[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // The process ended between the listing and the read.
            }
        }

        long total = 0;
        foreach (var (pid, used) in ticks)
        {
            for (var ancestor = parents.GetValueOrDefault(pid); ancestor > 1; ancestor = parents.GetValueOrDefault(ancestor))
            {
                if (ancestor == root)
                {
                    total += used;
                    break;
                }
            }
        }

        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }
}
