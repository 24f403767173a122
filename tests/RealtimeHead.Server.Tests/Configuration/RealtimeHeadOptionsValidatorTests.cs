using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RealtimeHead.Server.Configuration;
using RealtimeHead.Server.Tests.TestSupport;

namespace RealtimeHead.Server.Tests.Configuration;

public sealed class RealtimeHeadOptionsValidatorTests
{
    private static readonly RealtimeHeadOptionsValidator Validator = new();

    [Fact]
    public void Validate_DevelopmentDefaults_Succeeds()
    {
        var options = new RealtimeHeadOptions { Auth = new AuthOptions { Mode = AuthMode.Development }, Model = new ModelOptions { VadModelPath = null } };

        var result = Validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_JwtWithoutKey_SaysHowToMakeOne()
    {
        var result = Validator.Validate(null, new RealtimeHeadOptions { Model = new ModelOptions { VadModelPath = null } });

        var failure = Assert.Single(result.Failures!);
        Assert.Contains("RealtimeHead:Auth:SigningKey", failure, StringComparison.Ordinal);
        Assert.Contains("openssl rand", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ManyProblems_ListsEveryOneWithItsKey()
    {
        var options = new RealtimeHeadOptions
        {
            Http = new HttpOptions { Urls = ["ftp://x", "https://0.0.0.0:8443"] },
            WebRtc = new WebRtcOptions
            {
                UdpPortRangeStart = 80,
                UdpPortRangeEnd = 70,
                PublicAddresses = ["0.0.0.0", "example.org"],
                IceServers = [new IceServerOptions { Urls = ["http://stun"] }, new IceServerOptions { Urls = ["turn:turn.example.org"] }],
                HandshakeTimeout = TimeSpan.Zero,
            },
            Limits = new LimitsOptions { MaxSessions = 0, MaxUploadBytes = 10, MaxAvatars = 0, MaxHubMessageBytes = 1 },
            Model = new ModelOptions { Renderer = "magic", Preset = "huge", Device = "tpu", StillFrameSize = 100, VadModelPath = "/nonexistent/vad.onnx", FrameRate = 500, CheckpointPath = "/nonexistent/ckpt" },
            Avatars = new AvatarOptions { Directory = " " },
            Auth = new AuthOptions { Mode = AuthMode.Jwt, SigningKey = "short" },
            Observability = new ObservabilityOptions { OtlpEndpoint = "collector:4317", OtlpExportInterval = TimeSpan.Zero },
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        string[] expectedKeys =
        [
            "Http:Urls contains 'ftp://x'", "Http:CertificatePath", "WebRtc:UdpPortRangeStart is 80", "WebRtc:UdpPortRangeEnd is 70",
            "WebRtc:UdpPortRangeEnd (70) is below", "the wildcard '0.0.0.0'", "contains 'example.org'", "WebRtc:IceServers:0:Urls",
            "WebRtc:IceServers:1 has TURN URL", "WebRtc:HandshakeTimeout", "Limits:MaxSessions", "Limits:MaxUploadBytes", "Limits:MaxAvatars",
            "Limits:MaxHubMessageBytes", "Model:Renderer", "Model:Preset", "Model:CheckpointPath", "Model:Device", "Model:StillFrameSize",
            "Model:VadModelPath", "Model:FrameRate", "Avatars:Directory", "Auth:SigningKey is 5 bytes", "Observability:OtlpEndpoint",
            "Observability:OtlpExportInterval",
        ];
        foreach (var key in expectedKeys)
        {
            Assert.Contains(failures, f => f.Contains(key, StringComparison.Ordinal));
        }

        Assert.Equal(expectedKeys.Length, failures.Count);
        Assert.All(failures, f => Assert.StartsWith("RealtimeHead:", f, StringComparison.Ordinal));
        Assert.All(failures, f => Assert.Matches("(set|use|list|point|give|swap|remove|run)", f));
    }

    [Fact]
    public void Validate_S3DNeRFOnCudaPaperWithoutWav2Vec2_OnlyTheFeaturesAreMissing()
    {
        var options = new RealtimeHeadOptions
        {
            Auth = new AuthOptions { Mode = AuthMode.Development },
            Model = new ModelOptions { Renderer = "s3d-nerf", Preset = "paper", Device = "cuda:0", Precision = "bf16", VadModelPath = null },
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        // cuda:0 with bf16 is a valid placement (whether CUDA is present is checked when the model loads).
        var failure = Assert.Single(failures);
        Assert.Contains("Model:Wav2Vec2ModelPath", failure, StringComparison.Ordinal);
        Assert.Contains("Preset tiny", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BindAddresses_WildcardAcceptedHostNameRefused()
    {
        RealtimeHeadOptions With(params string[] bind) => new()
        {
            Auth = new AuthOptions { Mode = AuthMode.Development },
            WebRtc = new WebRtcOptions { PublicAddresses = ["203.0.113.10"], BindAddresses = bind },
            Model = new ModelOptions { VadModelPath = null },
        };

        Assert.True(Validator.Validate(null, With("0.0.0.0", "::")).Succeeded);
        var failure = Assert.Single(Validator.Validate(null, With("eth0")).Failures!);
        Assert.Contains("WebRtc:BindAddresses contains 'eth0'", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", "bf16", "set Model:Precision=fp32")]
    [InlineData("cpu", "fp8", "Model:Precision 'fp8'")]
    [InlineData("cuda:x", "fp32", "Model:Device 'cuda:x'")]
    public void Validate_BadDeviceOrPrecision_SaysWhatToSet(string device, string precision, string expected)
    {
        var options = new RealtimeHeadOptions
        {
            Auth = new AuthOptions { Mode = AuthMode.Development },
            Model = new ModelOptions { Device = device, Precision = precision, VadModelPath = null },
        };

        var failure = Assert.Single(Validator.Validate(null, options).Failures!);

        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ArraysFromConfiguration_ReplaceTheDefaultsInsteadOfAppending()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RealtimeHead:Http:Urls:0"] = "http://127.0.0.1:9000",
            ["RealtimeHead:WebRtc:PublicAddresses:0"] = "192.0.2.10",
        }).Build();

        var options = configuration.GetSection(RealtimeHeadOptions.SectionName).Get<RealtimeHeadOptions>()!;
        var defaults = new RealtimeHeadOptions();

        Assert.Equal(["http://127.0.0.1:9000"], options.Http.EffectiveUrls);
        Assert.Equal(["192.0.2.10"], options.WebRtc.EffectivePublicAddresses);
        Assert.Equal(["http://0.0.0.0:8080"], defaults.Http.EffectiveUrls);
        Assert.Equal(["127.0.0.1"], defaults.WebRtc.EffectivePublicAddresses);
    }

    [Fact]
    public async Task Start_InvalidConfiguration_FailsListingEveryProblem()
    {
        var settings = ServerFixture.BaseSettings(Path.Combine(Path.GetTempPath(), "rh-server-tests", Guid.NewGuid().ToString("N")));
        settings["RealtimeHead:Limits:MaxSessions"] = "0";
        settings["RealtimeHead:Auth:SigningKey"] = "short";
        settings["RealtimeHead:Model:FrameRate"] = "1000";

        // Whichever comes first (mapping the hub reads the limits, or ValidateOnStart) reports every problem.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = ServerFixture.Build(settings, new TestRenderer());
            await app.StartAsync();
        });

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains("Limits:MaxSessions", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:SigningKey", error.Message, StringComparison.Ordinal);
        Assert.Contains("Model:FrameRate", error.Message, StringComparison.Ordinal);
    }
}
