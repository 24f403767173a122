using System.Globalization;

namespace RealtimeHead.Server.Benchmarks;

/// <summary>Command-line options; <see cref="Parse"/> lists every problem at once.</summary>
internal sealed record BenchmarkOptions
{
    public const string Usage =
        "usage: RealtimeHead.Server.Benchmarks [--sessions 1,2,3,4] [--seconds 20] [--renderer s3d-nerf|still] [--joins 5]\n" +
        "                                      [--auth development|jwt] [--threads N] [--warmup 3]\n" +
        "                                      [--admission Full|NoSuperResolution|LowResolution]";

    /// <summary>Concurrent session counts to measure, ascending. Default 1, 2, 3, 4; each 1–16.</summary>
    public IReadOnlyList<int> Sessions { get; init; } = [1, 2, 3, 4];

    /// <summary>Measured seconds per session count. Default 20; 5–600.</summary>
    public double Seconds { get; init; } = 20;

    /// <summary>Seconds between the last join and the start of a measurement. Default 3; 0–60.</summary>
    public double Warmup { get; init; } = 3;

    /// <summary>Model:Renderer: s3d-nerf (default; the tiny preset, untrained unless a checkpoint is configured) or still.</summary>
    public string Renderer { get; init; } = "s3d-nerf";

    /// <summary>Joins on an idle server for the join-to-first-frame percentiles. Default 5; 1–50.</summary>
    public int Joins { get; init; } = 5;

    /// <summary>development (default: every caller accepted) or jwt (tokens signed with a key made for the run).</summary>
    public string Auth { get; init; } = "development";

    /// <summary>libtorch threads of the renderer. Default: one per processor; 1–256.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Model:AdmissionQuality: the rung at which one more session must fit the budget. Default Full (the server's default).</summary>
    public string Admission { get; init; } = "Full";

    /// <summary>The frame rate the server sends; a session "holds" when it is shown ≥ 90 % of it.</summary>
    public const double TargetFps = 25;

    public static BenchmarkOptions? Parse(IReadOnlyList<string> args, out List<string> errors)
    {
        errors = [];
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : null;
            if (value is null)
            {
                errors.Add($"{name} needs a value");
                break;
            }

            i++;
            switch (name)
            {
                case "--sessions":
                    var counts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
                    if (counts.Count == 0 || counts.Any(n => n is < 1 or > 16))
                    {
                        errors.Add($"--sessions '{value}': give session counts 1-16, comma-separated (e.g. 1,2,4)");
                    }
                    else
                    {
                        options = options with { Sessions = [.. counts.Distinct().Order()] };
                    }

                    break;
                case "--seconds":
                    options = options with { Seconds = Number(value, 5, 600, name, errors) ?? options.Seconds };
                    break;
                case "--warmup":
                    options = options with { Warmup = Number(value, 0, 60, name, errors) ?? options.Warmup };
                    break;
                case "--joins":
                    options = options with { Joins = (int)(Number(value, 1, 50, name, errors) ?? options.Joins) };
                    break;
                case "--threads":
                    options = options with { Threads = (int)(Number(value, 1, 256, name, errors) ?? options.Threads) };
                    break;
                case "--renderer":
                    if (value is not ("s3d-nerf" or "still"))
                    {
                        errors.Add($"--renderer '{value}': use s3d-nerf or still");
                    }

                    options = options with { Renderer = value };
                    break;
                case "--admission":
                    if (value is not ("Full" or "NoSuperResolution" or "LowResolution"))
                    {
                        errors.Add($"--admission '{value}': use Full, NoSuperResolution or LowResolution");
                    }

                    options = options with { Admission = value };
                    break;
                case "--auth":
                    if (value is not ("development" or "jwt"))
                    {
                        errors.Add($"--auth '{value}': use development or jwt");
                    }

                    options = options with { Auth = value };
                    break;
                default:
                    errors.Add($"unknown option {name}");
                    break;
            }
        }

        return errors.Count == 0 ? options : null;
    }

    private static double? Number(string text, double min, double max, string name, List<string> errors)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{name} '{text}': use a number in {min}-{max}");
        return null;
    }
}
