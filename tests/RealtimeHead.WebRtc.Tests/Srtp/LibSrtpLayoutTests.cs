using System.Diagnostics;
using System.Runtime.InteropServices;

namespace RealtimeHead.WebRtc.Tests.Srtp;

public sealed class LibSrtpLayoutTests
{
    private const string Header = "/usr/include/srtp2/srtp.h";

    // Layout of srtp_policy_t in libsrtp2 2.5 on x86-64, as ENVIRONMENT.md records it and as
    // /usr/include/srtp2/srtp.h declares it ("typedef struct srtp_policy_t { srtp_ssrc_t ssrc; ...
    // struct srtp_policy_t *next; } srtp_policy_t;").
    private static readonly (string Field, int Offset)[] Documented =
    [
        ("ssrc", 0), ("rtp", 8), ("rtcp", 32), ("key", 56), ("keys", 64), ("num_master_keys", 72),
        ("window_size", 88), ("allow_repeat_tx", 96), ("next", 120),
    ];

    private static readonly Dictionary<string, string> ManagedNames = new()
    {
        ["ssrc"] = nameof(LibSrtpNative.SrtpPolicy.SsrcType),
        ["rtp"] = nameof(LibSrtpNative.SrtpPolicy.Rtp),
        ["rtcp"] = nameof(LibSrtpNative.SrtpPolicy.Rtcp),
        ["key"] = nameof(LibSrtpNative.SrtpPolicy.Key),
        ["keys"] = nameof(LibSrtpNative.SrtpPolicy.Keys),
        ["num_master_keys"] = nameof(LibSrtpNative.SrtpPolicy.NumMasterKeys),
        ["window_size"] = nameof(LibSrtpNative.SrtpPolicy.WindowSize),
        ["allow_repeat_tx"] = nameof(LibSrtpNative.SrtpPolicy.AllowRepeatTx),
        ["next"] = nameof(LibSrtpNative.SrtpPolicy.Next),
    };

    [Fact]
    public unsafe void SrtpPolicy_ManagedLayout_MatchesDocumentedLayout()
    {
        Assert.Equal(128, sizeof(LibSrtpNative.SrtpPolicy));
        Assert.Equal(24, sizeof(LibSrtpNative.SrtpCryptoPolicy));
        foreach ((string field, int offset) in Documented)
        {
            Assert.Equal(offset, (int)Marshal.OffsetOf<LibSrtpNative.SrtpPolicy>(ManagedNames[field]));
        }
    }

    [Fact]
    public unsafe void SrtpPolicy_ManagedLayout_MatchesCompiledHeader()
    {
        string? compiler = new[] { "/usr/bin/cc", "/usr/bin/gcc" }.FirstOrDefault(File.Exists);
        if (compiler is null || !File.Exists(Header))
        {
            // Without a C compiler or libsrtp2-dev the documented-layout test above is the check.
            Assert.Equal(128, sizeof(LibSrtpNative.SrtpPolicy));
            return;
        }

        string directory = Directory.CreateTempSubdirectory("srtp-layout").FullName;
        try
        {
            string source = Path.Combine(directory, "layout.c");
            string program = Path.Combine(directory, "layout");
            string fields = string.Join(", ", Documented.Select(d => $"(size_t)offsetof(srtp_policy_t, {d.Field})"));
            File.WriteAllText(source, $$"""
                #include <stddef.h>
                #include <stdio.h>
                #include <srtp2/srtp.h>
                int main(void) {
                    size_t values[] = { sizeof(srtp_policy_t), sizeof(srtp_crypto_policy_t), SRTP_MAX_TRAILER_LEN, {{fields}} };
                    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) printf("%zu\n", values[i]);
                    return 0;
                }
                """);
            Run(compiler, $"-o {program} {source}");
            long[] native = Run(program, string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();

            Assert.Equal(sizeof(LibSrtpNative.SrtpPolicy), native[0]);
            Assert.Equal(sizeof(LibSrtpNative.SrtpCryptoPolicy), native[1]);
            Assert.Equal(LibSrtpNative.MaxTrailerLength, native[2]);
            for (int i = 0; i < Documented.Length; i++)
            {
                Assert.Equal(native[3 + i], (long)Marshal.OffsetOf<LibSrtpNative.SrtpPolicy>(ManagedNames[Documented[i].Field]));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {error}");
        return output;
    }
}
