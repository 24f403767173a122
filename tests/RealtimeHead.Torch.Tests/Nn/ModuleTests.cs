using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;

namespace RealtimeHead.Torch.Tests.Nn;

public sealed class ModuleTests
{
    private sealed class TwoLayer : Module<Tensor, Tensor>
    {
        private readonly Linear _hidden;
        private readonly Linear _output;

        public TwoLayer(int inputs, int hidden) : base(nameof(TwoLayer))
        {
            _hidden = Linear(inputs, hidden);
            _output = Linear(hidden, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var hidden = _hidden.forward(input);
            using var activated = hidden.tanh();
            return _output.forward(activated);
        }
    }

    [Fact]
    public void RegisterComponents_NamesParametersByFieldPath()
    {
        using var model = new TwoLayer(3, 4);
        var names = model.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(new[] { "hidden.weight", "hidden.bias", "output.weight", "output.bias" }, names);
        Assert.Equal(new long[] { 4, 3 }, model.state_dict()["hidden.weight"].shape);
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void Linear_DefaultInit_IsBoundedByInverseSqrtFanIn()
    {
        manual_seed(5);
        using var layer = Linear(100, 50);
        var weights = layer.weight.data<float>();
        Assert.All(weights, w => Assert.InRange(w, -0.1f, 0.1f));
        Assert.True(weights.Max() > 0.09f && weights.Min() < -0.09f);
    }

    [Fact]
    public void Adam_TwoLayerModel_FitsASmallRegression()
    {
        manual_seed(42);
        using var model = new TwoLayer(2, 16);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.02);
        using var x = rand([256, 2]) * 4 - 2;
        // y = sin(x0) + 0.5·x1²
        using var y = (x[TensorIndex.Colon, TensorIndex.Slice(0, 1)].sin() + x[TensorIndex.Colon, TensorIndex.Slice(1, 2)].square() * 0.5).DetachFromDisposeScope();

        double first = 0, last = 0;
        for (var step = 0; step < 600; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = functional.mse_loss(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }

        Assert.True(last < first / 20, $"loss went from {first} to {last}");
        Assert.True(last < 0.02, $"final loss {last}");
    }

    [Fact]
    public void Adam_WeightDecay_ShrinksUnusedParameters()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(4));
        using var optimizer = optim.AdamW([p], lr: 0.1, weight_decay: 0.5);
        (p * 0).sum().backward(); // zero gradient: only the decay acts
        optimizer.step();
        Assert.All(p.data<float>(), v => Assert.Equal(1 - 0.1f * 0.5f, v, 5));
    }

    [Fact]
    public void Adam_FirstStep_MovesEachWeightByLearningRate()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(tensor(new float[] { 1, -1 }));
        using var optimizer = optim.Adam([p], lr: 0.01);
        (p * tensor(new float[] { 3, -0.5f })).sum().backward();
        optimizer.step();
        // Bias-corrected first Adam step is lr · sign(g) (up to eps).
        Assert.Equal(new[] { 0.99f, -0.99f }, p.data<float>().Select(v => MathF.Round(v, 5)).ToArray());
        Assert.Equal(1, optimizer.StepCount);
    }

    [Fact]
    public void ClipGradNorm_ScalesToMaxNormAndReportsTotal()
    {
        using var scope = NewDisposeScope();
        var a = new Parameter(zeros(2));
        var b = new Parameter(zeros(1));
        (a * tensor(new float[] { 3, 0 })).sum().backward();
        (b * 4).sum().backward();
        var total = utils.clip_grad_norm_([a, b], max_norm: 1);
        Assert.Equal(5, total, 4);
        Assert.Equal(0.6f, a.grad!.data<float>()[0], 4);
        Assert.Equal(0.8f, b.grad!.data<float>()[0], 4);
    }

    [Fact]
    public void TrainEval_PropagatesToChildren()
    {
        using var model = Sequential(Linear(2, 2), Dropout(0.5), ReLU());
        model.eval();
        Assert.All(model.named_modules(), m => Assert.False(m.module.training));
        model.train();
        Assert.All(model.named_modules(), m => Assert.True(m.module.training));
    }

    [Fact]
    public void ToScalarType_ConvertsParametersInPlace()
    {
        using var layer = Linear(3, 2);
        var weight = layer.weight;
        layer.to(ScalarType.Float64);
        Assert.Same(weight, layer.weight);
        Assert.Equal(ScalarType.Float64, layer.weight.dtype);
        Assert.True(layer.weight.requires_grad);
        using var output = layer.forward(ones([1, 3], ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, output.dtype);
    }

    [Fact]
    public void OptimizerState_RoundTrip_ResumesIdentically()
    {
        manual_seed(9);
        using var x = randn(32, 3);
        using var y = randn(32, 1);
        using var a = new TwoLayer(3, 8);
        using var b = new TwoLayer(3, 8);
        b.load_state_dict(a.state_dict());
        using var optA = optim.Adam(a.parameters(), lr: 0.01);
        using var optB = optim.Adam(b.parameters(), lr: 0.01);

        void Step(Module<Tensor, Tensor> model, optim.Optimizer opt)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            functional.mse_loss(model.forward(x), y).backward();
            opt.step();
        }

        for (var i = 0; i < 5; i++) Step(a, optA);
        // Resume b from a's model and optimizer state, then both take the same steps.
        b.load_state_dict(a.state_dict());
        optB.load_state_dict(optA.state_dict());
        for (var i = 0; i < 5; i++)
        {
            Step(a, optA);
            Step(b, optB);
        }
        foreach (var (name, value) in a.state_dict())
        {
            Assert.Equal(value.data<float>(), b.state_dict()[name].data<float>());
        }
    }
}
