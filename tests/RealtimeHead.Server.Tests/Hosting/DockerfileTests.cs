using System.Diagnostics;
using System.Text.RegularExpressions;
using RealtimeHead.Server.Hosting;

namespace RealtimeHead.Server.Tests.Hosting;

/// <summary>
/// What can be checked about the Dockerfile without a Docker daemon: the base images, that every Debian package it
/// names exists in apt's cache, that the build stage installs setup.sh's packages, that the runtime stage provides
/// every shared library the server loads (the P/Invoke sonames and the libtorch shim's NEEDED entries, resolved to
/// packages with dpkg on this Debian 12 machine), and that its paths, port range and health check match the code.
/// </summary>
public sealed partial class DockerfileTests
{
    // Packages of the aspnet:10.0-bookworm-slim base image the server's libraries may rely on.
    private static readonly string[] BaseImagePackages = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g", "libssl3", "libicu72"];

    private static readonly string Root = HttpsHostingTests.RepositoryRoot();
    private static readonly string Text = File.ReadAllText(Path.Combine(Root, "Dockerfile"));

    [Fact]
    public void Stages_BuildOnTheSdkAndRunOnAspnet_BothBookworm()
    {
        var from = FromLine().Matches(Text).Select(m => (Image: m.Groups[1].Value, Stage: m.Groups[2].Value)).ToList();

        Assert.Equal(("mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim", "build"), from[0]);
        Assert.Equal(("mcr.microsoft.com/dotnet/aspnet:10.0-bookworm-slim", "runtime"), from[^1]);
        Assert.Contains("COPY --from=build /app /app", Stage("runtime"), StringComparison.Ordinal);
    }

    [Fact]
    public void AptPackages_EveryOneNamed_ExistsInAptCache()
    {
        var packages = AptPackages(Stage("build")).Concat(AptPackages(Stage("runtime"))).Distinct().ToList();

        Assert.True(packages.Count >= 10, string.Join(" ", packages));
        var missing = packages.Where(p => Run("apt-cache", "show", "--no-all-versions", p).ExitCode != 0).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void BuildStage_Packages_AreSetupShPackagesPlusNpm()
    {
        var setup = File.ReadAllText(Path.Combine(Root, "setup.sh"));
        var block = setup[setup.IndexOf("APT_PACKAGES=(", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("\n)", StringComparison.Ordinal)];
        var setupPackages = block.Split('\n').Skip(1).SelectMany(line => line.Split('#')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();

        var build = AptPackages(Stage("build"));

        Assert.Contains("libtorch-dev", build);
        Assert.Contains("npm", build);
        Assert.All(build.Except(["npm", "ca-certificates"]), p => Assert.Contains(p, setupPackages));
        Assert.Contains("./setup.sh publish /app", Stage("build"), StringComparison.Ordinal);
    }

    [Fact]
    public void RuntimeStage_ProvidesEverySharedLibraryTheServerLoads()
    {
        var runtime = AptPackages(Stage("runtime")).Concat(BaseImagePackages).ToHashSet();

        // The sonames the P/Invoke resolvers of the server's projects load (Corpus, which the server does not
        // reference, is left out; ONNX Runtime is not a Debian package: it travels in the publish output).
        string[] projects = ["Codecs", "Imaging", "WebRtc", "Audio", "OnnxRuntime", "Torch", "Pipeline", "Model", "Server"];
        var sonames = projects
            .SelectMany(p => Directory.EnumerateFiles(Path.Combine(Root, "src", "RealtimeHead." + p), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => Soname().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(s => s != "libonnxruntime.so.1")
            .ToHashSet();

        // The libtorch shim's own dependencies.
        var shim = Path.Combine(AppContext.BaseDirectory, "libRealtimeHeadTorchNative.so");
        var needed = NeededLibrary().Matches(Run("readelf", "-d", shim).Output).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("libtorch.so.1.13", needed);

        Assert.Contains("libopus.so.0", sonames);
        Assert.Contains("libvpx.so.7", sonames);
        var unprovided = sonames.Concat(needed)
            .Select(s => (Soname: s, Package: PackageOf(s)))
            .Where(x => x.Package is null || !runtime.Contains(x.Package))
            .Select(x => $"{x.Soname} ({x.Package ?? "no package"})")
            .ToList();
        Assert.Empty(unprovided);
    }

    [Fact]
    public void RuntimeStage_PathsPortsUserAndHealthCheck_MatchTheServer()
    {
        var runtime = Stage("runtime");
        var setup = File.ReadAllText(Path.Combine(Root, "setup.sh"));

        // setup.sh publish puts the model where the image's VadModelPath points, and checks the rest of the output.
        Assert.Contains("RealtimeHead__Model__VadModelPath=/app/models/silero_vad.onnx", runtime, StringComparison.Ordinal);
        Assert.Contains("cp \"$NPM_ASSETS_DIR/silero_vad.onnx\" \"$out/models/silero_vad.onnx\"", setup, StringComparison.Ordinal);
        foreach (var file in new[] { "libRealtimeHeadTorchNative.so", "libonnxruntime.so.1", "RealtimeHead.Server.dll", "appsettings.json" })
        {
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, file)), $"{file} is not in a build output of the server");
        }

        Assert.Matches(@"(?m)^USER app$", runtime);
        Assert.Contains("OMP_WAIT_POLICY=PASSIVE", runtime, StringComparison.Ordinal);
        Assert.Contains($"\"dotnet\", \"/app/RealtimeHead.Server.dll\", \"{HealthProbe.Switch}\"", runtime, StringComparison.Ordinal);
        Assert.Contains("RealtimeHead__Http__Urls__0=http://0.0.0.0:8080", runtime, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 8080/tcp 8443/tcp 50000-50009/udp", runtime, StringComparison.Ordinal);
        Assert.Contains("RealtimeHead__WebRtc__UdpPortRangeStart=50000", runtime, StringComparison.Ordinal);
        Assert.Contains("RealtimeHead__WebRtc__UdpPortRangeEnd=50009", runtime, StringComparison.Ordinal);
        Assert.Contains("VOLUME [\"/data/avatars\", \"/certs\"]", runtime, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerIgnore_KeepsKeysAndBuildOutputsOut()
    {
        var ignore = File.ReadAllLines(Path.Combine(Root, ".dockerignore"));

        Assert.Contains("certs/*.pfx", ignore);
        Assert.Contains("certs/*.key", ignore);
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
        Assert.Contains(".git", ignore);
    }

    /// <summary>The text of one stage, from its FROM line to the next FROM.</summary>
    private static string Stage(string name)
    {
        var start = Text.IndexOf($" AS {name}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no stage {name}");
        var end = Text.IndexOf("\nFROM ", start, StringComparison.Ordinal);
        return end < 0 ? Text[start..] : Text[start..end];
    }

    /// <summary>The packages of a stage's apt-get install commands (continuation lines joined, options dropped).</summary>
    private static List<string> AptPackages(string stage)
    {
        var joined = stage.Replace("\\\n", " ", StringComparison.Ordinal);
        return [.. AptInstall().Matches(joined)
            .SelectMany(m => m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(word => !word.StartsWith('-'))];
    }

    /// <summary>The Debian package that holds <paramref name="soname"/> on this machine, or null.</summary>
    private static string? PackageOf(string soname)
    {
        var path = Run("ldconfig", "-p").Output.Split('\n')
            .Where(line => line.TrimStart().StartsWith(soname + " ", StringComparison.Ordinal) && line.Contains("x86-64", StringComparison.Ordinal))
            .Select(line => line[(line.IndexOf("=> ", StringComparison.Ordinal) + 3)..].Trim())
            .FirstOrDefault();
        if (path is null)
        {
            return null;
        }

        // dpkg -S knows the path the package installed: /lib/... for libc6, /usr/lib/... for most (merged-/usr aliases).
        foreach (var candidate in new[] { path, path.StartsWith("/lib/", StringComparison.Ordinal) ? "/usr" + path : path[4..] })
        {
            var result = Run("dpkg", "-S", candidate);
            if (result.ExitCode == 0)
            {
                return result.Output.Split(':')[0];
            }
        }

        return null;
    }

    private static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [GeneratedRegex(@"(?m)^FROM (\S+) AS (\S+)$")]
    private static partial Regex FromLine();

    [GeneratedRegex(@"apt-get install ([^&|\n]+)")]
    private static partial Regex AptInstall();

    [GeneratedRegex("\"(lib[A-Za-z0-9_+-]+\\.so\\.[0-9]+)\"")]
    private static partial Regex Soname();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededLibrary();
}
