using RealtimeHead.Torch.Interop;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Torch.Modules;

/// <summary>
/// Adam (Kingma &amp; Ba 2015, Alg. 1) with L2 weight decay, or AdamW's decoupled decay (Loshchilov &amp; Hutter 2019).
/// The update runs in one native call over all parameters; moment estimates live in managed-visible tensors so
/// they checkpoint with <see cref="state_dict"/> and a resumed run continues bit for bit.
/// </summary>
public class Adam : optim.Optimizer
{
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;
    private readonly bool _decoupled;

    public Adam(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weight_decay = 0) : this(parameters, lr, beta1, beta2, eps, weight_decay, decoupled: false)
    {
    }

    private protected Adam(IEnumerable<nn.Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool decoupled)
        : base(parameters)
    {
        if (lr < 0) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be >= 0");
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1)");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1)");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be >= 0");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weight decay must be >= 0");
        LearningRate = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _decoupled = decoupled;
        _expAvg = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _expAvgSq = Parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public double LearningRate { get; set; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }
    public double WeightDecay { get; }

    /// <summary>Steps taken so far.</summary>
    public long StepCount { get; private set; }

    public override unsafe void step()
    {
        StepCount++;
        var parameters = Tensor.Handles(Parameters);
        var expAvg = Tensor.Handles(_expAvg);
        var expAvgSq = Tensor.Handles(_expAvgSq);
        fixed (IntPtr* p = parameters)
        fixed (IntPtr* m = expAvg)
        fixed (IntPtr* v = expAvgSq)
        {
            TorchException.CheckStatus(LibTorchShim.rh_adam_step(p, m, v, parameters.Length, LearningRate, Beta1, Beta2, Eps, WeightDecay,
                _decoupled ? 1 : 0, StepCount));
        }
        GC.KeepAlive(Parameters);
        GC.KeepAlive(_expAvg);
        GC.KeepAlive(_expAvgSq);
    }

    public override Dictionary<string, Tensor> state_dict()
    {
        var state = new Dictionary<string, Tensor>();
        for (var i = 0; i < _expAvg.Length; i++)
        {
            state[$"state.{i}.exp_avg"] = _expAvg[i];
            state[$"state.{i}.exp_avg_sq"] = _expAvgSq[i];
        }
        state["step"] = tensor(new[] { StepCount }).DetachFromDisposeScope();
        return state;
    }

    public override void load_state_dict(IReadOnlyDictionary<string, Tensor> state)
    {
        var problems = new List<string>();
        for (var i = 0; i < _expAvg.Length; i++)
        {
            foreach (var (name, target) in new[] { ($"state.{i}.exp_avg", _expAvg[i]), ($"state.{i}.exp_avg_sq", _expAvgSq[i]) })
            {
                if (!state.TryGetValue(name, out var value)) problems.Add($"missing {name}");
                else if (!value.shape.SequenceEqual(target.shape)) problems.Add($"{name} has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", target.shape)}]");
            }
        }
        if (!state.TryGetValue("step", out var step)) problems.Add("missing step");
        if (problems.Count > 0) throw new InvalidDataException($"optimizer state does not match: {string.Join("; ", problems)}");
        using (no_grad())
        {
            for (var i = 0; i < _expAvg.Length; i++)
            {
                _expAvg[i].copy_(state[$"state.{i}.exp_avg"]);
                _expAvgSq[i].copy_(state[$"state.{i}.exp_avg_sq"]);
            }
        }
        StepCount = step!.item<long>();
    }

    public override void Dispose()
    {
        foreach (var t in _expAvg) t.Dispose();
        foreach (var t in _expAvgSq) t.Dispose();
        base.Dispose();
    }
}

/// <summary>Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019).</summary>
public sealed class AdamW(IEnumerable<nn.Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
    double weight_decay = 0.01) : Adam(parameters, lr, beta1, beta2, eps, weight_decay, decoupled: true);
