using RealtimeHead.Torch.Modules;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;

namespace RealtimeHead.Torch.Tests.Serialization;

public sealed class ModuleSafeTensorsTests : IDisposable
{
    private static readonly string[] s_expectedNames =
    [
        "encoder.conv.weight", "encoder.conv.bias", "encoder.norm.weight", "encoder.norm.bias",
        "head.weight", "head.bias", "encoder.running_scale", "gain",
    ];

    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    /// <summary>[N, 3, 8, 8] → conv 3x3 → [N, channels, 8, 8] → LayerNorm over W; keeps a persistent and a scratch buffer.</summary>
    private sealed class Encoder : Module<Tensor, Tensor>
    {
        private readonly Conv2d _conv;
        private readonly LayerNorm _norm;

        public Encoder(long channels) : base(nameof(Encoder))
        {
            _conv = Conv2d(3, channels, 3, padding: 1);
            _norm = LayerNorm(8);
            RegisterComponents();
            register_buffer("running_scale", full([channels, 1, 1], 1.0));
            register_buffer("scratch", zeros(4), persistent: false);
        }

        public override Tensor forward(Tensor input)
        {
            var scale = named_buffers(recurse: false).First(b => b.name == "running_scale").buffer;
            return _norm.forward(_conv.forward(input)) * scale;
        }
    }

    /// <summary>[N, 3, 8, 8] → [N, outputs].</summary>
    private sealed class TinyNet : Module<Tensor, Tensor>
    {
        private readonly Encoder _encoder;
        private readonly Linear _head;
        private readonly Parameter _gain;

        public TinyNet(long channels = 4, long outputs = 5, bool withGain = true) : base(nameof(TinyNet))
        {
            _encoder = new Encoder(channels);
            _head = Linear(channels * 64, outputs);
            _gain = new Parameter(full([outputs], 1.5));
            register_module("encoder", _encoder);
            register_module("head", _head);
            if (withGain) register_parameter("gain", _gain);
        }

        public override Tensor forward(Tensor input) => _head.forward(_encoder.forward(input).flatten(1)) * _gain;

        /// <summary>Puts distinct values in the persistent buffer so a load has something to restore.</summary>
        public void PerturbBuffer(double value)
        {
            using var _ = no_grad();
            _encoder.named_buffers(recurse: false).First(b => b.name == "running_scale").buffer.fill_(value);
        }
    }

    [Fact]
    public void StateDict_Names_FollowTheModuleTree()
    {
        using var net = new TinyNet();

        var names = net.state_dict().Keys;

        Assert.Equal(s_expectedNames.Order(), names.Order());
        Assert.DoesNotContain("encoder.scratch", names);
        Assert.Equal(
            ["gain", "encoder.conv.weight", "encoder.conv.bias", "encoder.norm.weight", "encoder.norm.bias", "head.weight", "head.bias"],
            net.named_parameters().Select(p => p.name));
        Assert.Contains(net.named_buffers(), b => b.name == "encoder.scratch");
    }

    [Fact]
    public void Save_FileEntries_CarryStateDictNamesAndShapes()
    {
        using var net = new TinyNet();
        var path = _directory.File("net.safetensors");

        net.save(path, new Dictionary<string, string> { ["format"] = "pt" });
        var header = SafeTensors.ReadHeader(path);

        Assert.Equal(s_expectedNames.Order(), header.Entries.Select(e => e.Name).Order());
        var shapes = header.Entries.ToDictionary(e => e.Name, e => e.Shape);
        Assert.Equal(new long[] { 4, 3, 3, 3 }, shapes["encoder.conv.weight"]);
        Assert.Equal(new long[] { 8 }, shapes["encoder.norm.weight"]);
        Assert.Equal(new long[] { 5, 256 }, shapes["head.weight"]);
        Assert.Equal(new long[] { 4, 1, 1 }, shapes["encoder.running_scale"]);
        Assert.Equal("pt", header.Metadata["format"]);
    }

    [Fact]
    public void SaveLoad_FreshInstance_GivesIdenticalOutputs()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("roundtrip.safetensors");
        manual_seed(1);
        using var original = new TinyNet();
        original.PerturbBuffer(0.75);
        manual_seed(2);
        using var restored = new TinyNet();
        var input = randn([2, 3, 8, 8]);
        var expected = original.forward(input).data<float>();
        Assert.NotEqual(expected, restored.forward(input).data<float>());

        original.save(path);
        var report = restored.load(path);

        Assert.True(report.IsExact, report.ToString());
        Assert.Equal(expected, restored.forward(input).data<float>());
        foreach (var (name, tensor) in original.state_dict())
        {
            Assert.Equal(SafeTensorsBytes.RawBytes(tensor), SafeTensorsBytes.RawBytes(restored.state_dict()[name]));
        }
    }

    [Fact]
    public void Load_KeepsParametersTrainableAndIdentity()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("identity.safetensors");
        using var original = new TinyNet();
        using var restored = new TinyNet();
        var before = restored.parameters().ToList();
        original.save(path);

        restored.load(path);

        Assert.Equal(before, restored.parameters()); // same objects: optimizers holding them stay valid
        Assert.All(restored.parameters(), p => Assert.True(p.requires_grad));
        Assert.All(restored.parameters(), p => Assert.Null(p.grad));
    }

    [Fact]
    public void Load_WrongShape_StrictThrowsNamingTheEntry()
    {
        var path = _directory.File("wide.safetensors");
        using (var wide = new TinyNet(outputs: 6)) wide.save(path);
        using var narrow = new TinyNet(outputs: 5);
        var before = SafeTensorsBytes.RawBytes(narrow.state_dict()["encoder.conv.weight"]);

        var error = Assert.Throws<StateDictMismatchException>(() => narrow.load(path));

        Assert.Empty(error.Result.MissingKeys);
        Assert.Empty(error.Result.UnexpectedKeys);
        Assert.Equal(
            ["gain: expected [5], got [6]", "head.bias: expected [5], got [6]", "head.weight: expected [5, 256], got [6, 256]"],
            error.Result.MismatchedShapes.Order());
        Assert.Contains("head.weight: expected [5, 256], got [6, 256]", error.Message);
        // Strict loading checks everything before it copies anything.
        Assert.Equal(before, SafeTensorsBytes.RawBytes(narrow.state_dict()["encoder.conv.weight"]));
    }

    [Fact]
    public void Load_WrongShape_NonStrictReportsAndLoadsTheRest()
    {
        var path = _directory.File("wide.safetensors");
        using var wide = new TinyNet(outputs: 6);
        wide.save(path);
        using var narrow = new TinyNet(outputs: 5);
        var headBefore = SafeTensorsBytes.RawBytes(narrow.state_dict()["head.weight"]);

        var report = narrow.load(path, strict: false);

        Assert.False(report.IsExact);
        Assert.Equal(["gain", "head.bias", "head.weight"], report.MismatchedShapes.Select(m => m[..m.IndexOf(':')]).Order());
        Assert.Equal(SafeTensorsBytes.RawBytes(wide.state_dict()["encoder.conv.weight"]), SafeTensorsBytes.RawBytes(narrow.state_dict()["encoder.conv.weight"]));
        Assert.Equal(SafeTensorsBytes.RawBytes(wide.state_dict()["encoder.running_scale"]), SafeTensorsBytes.RawBytes(narrow.state_dict()["encoder.running_scale"]));
        Assert.Equal(headBefore, SafeTensorsBytes.RawBytes(narrow.state_dict()["head.weight"]));
    }

    [Fact]
    public void Load_MissingAndUnexpectedEntries_StrictListsBoth()
    {
        var path = _directory.File("nogain.safetensors");
        using (var withoutGain = new TinyNet(withGain: false)) withoutGain.save(path);
        using var withGain = new TinyNet(withGain: true);

        var missing = Assert.Throws<StateDictMismatchException>(() => withGain.load(path));
        Assert.Equal(["gain"], missing.Result.MissingKeys);
        Assert.Empty(missing.Result.UnexpectedKeys);
        Assert.Contains("missing: gain", missing.Message);

        var fullPath = _directory.File("gain.safetensors");
        withGain.save(fullPath);
        using var withoutGainTarget = new TinyNet(withGain: false);
        var unexpected = Assert.Throws<StateDictMismatchException>(() => withoutGainTarget.load(fullPath));
        Assert.Equal(["gain"], unexpected.Result.UnexpectedKeys);
        Assert.Empty(unexpected.Result.MissingKeys);
        Assert.Contains("unexpected: gain", unexpected.Message);

        var report = withoutGainTarget.load(fullPath, strict: false);
        Assert.Equal(["gain"], report.UnexpectedKeys);
        Assert.Empty(report.MismatchedShapes);
    }

    [Fact]
    public void Load_DifferentDType_ConvertsIntoModuleTensors()
    {
        using var scope = NewDisposeScope();
        var path = _directory.File("double.safetensors");
        using var net = new TinyNet();
        var asDouble = net.state_dict().ToDictionary(p => p.Key, p => p.Value.@double());
        SafeTensors.Save(path, asDouble);
        using var target = new TinyNet();

        target.load(path);

        var weight = target.state_dict()["head.weight"];
        Assert.Equal(ScalarType.Float32, weight.dtype);
        Assert.Equal(net.state_dict()["head.weight"].data<float>(), weight.data<float>());
    }

    [Fact]
    public void Load_MissingCheckpoint_ThrowsFileNotFound()
    {
        using var net = new TinyNet();

        Assert.Throws<FileNotFoundException>(() => net.load(_directory.File("absent.safetensors")));
    }
}
