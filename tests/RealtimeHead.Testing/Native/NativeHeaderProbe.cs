using System.Diagnostics;
using System.Text;

namespace RealtimeHead.Testing.Native;

/// <summary>Compiles and runs a tiny C program that prints the value of C expressions from the native headers.</summary>
public static class NativeHeaderProbe
{
    public static string? FindCompiler() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "cc"))
            .FirstOrDefault(File.Exists);

    /// <summary>Evaluates each C expression (cast to long) with the given headers included.</summary>
    public static IReadOnlyDictionary<string, long> Evaluate(IEnumerable<string> headers, IReadOnlyList<string> expressions)
    {
        var dir = Directory.CreateTempSubdirectory("rh-header-probe-");
        try
        {
            var source = new StringBuilder();
            source.AppendLine("#include <stdio.h>").AppendLine("#include <stddef.h>");
            foreach (var header in headers)
            {
                source.AppendLine($"#include <{header}>");
            }

            source.AppendLine("int main(void) {");
            for (var i = 0; i < expressions.Count; i++)
            {
                source.AppendLine($"  printf(\"{i} %ld\\n\", (long)({expressions[i]}));");
            }

            source.AppendLine("  return 0;").AppendLine("}");
            var c = Path.Combine(dir.FullName, "probe.c");
            var exe = Path.Combine(dir.FullName, "probe");
            File.WriteAllText(c, source.ToString());

            // -O2 drops the header's unused static inline control helpers, so nothing needs linking.
            Run(FindCompiler()!, $"-O2 -o \"{exe}\" \"{c}\"");
            var output = Run(exe, string.Empty);

            var values = new Dictionary<string, long>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = line.Split(' ');
                values[expressions[int.Parse(parts[0])]] = long.Parse(parts[1]);
            }

            return values;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {stderr}");
        }

        return stdout.Result;
    }
}
