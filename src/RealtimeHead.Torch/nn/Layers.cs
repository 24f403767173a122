using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Torch.Modules;

// Layers with parameters. Initialisation follows PyTorch's defaults (kaiming_uniform with a = √5, i.e.
// U(-1/√fan_in, 1/√fan_in) for weight and bias) so that ported models train the same way.

/// <summary>[*, in_features] → [*, out_features].</summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    public Linear(long in_features, long out_features, bool hasBias = true) : base(nameof(Linear))
    {
        weight = init.DefaultUniform(new[] { out_features, in_features }, in_features);
        if (hasBias) bias = init.DefaultUniform(new[] { out_features }, in_features);
        register_parameter(nameof(weight), weight);
        if (bias is not null) register_parameter(nameof(bias), bias);
    }

    public Parameter weight { get; }
    public Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.linear(input, weight, bias);
}

/// <summary>[N, in_channels, L] → [N, out_channels, L'].</summary>
public sealed class Conv1d : Module<Tensor, Tensor>
{
    private readonly long _stride, _padding, _dilation, _groups;

    public Conv1d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
        : base(nameof(Conv1d))
    {
        (_stride, _padding, _dilation, _groups) = (stride, padding, dilation, groups);
        var fanIn = in_channels / groups * kernelSize;
        weight = init.DefaultUniform(new[] { out_channels, in_channels / groups, kernelSize }, fanIn);
        register_parameter(nameof(weight), weight);
        if (bias)
        {
            this.bias = init.DefaultUniform(new[] { out_channels }, fanIn);
            register_parameter(nameof(bias), this.bias);
        }
    }

    public Parameter weight { get; }
    public Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.conv1d(input, weight, bias, _stride, _padding, _dilation, _groups);
}

/// <summary>[N, in_channels, H, W] → [N, out_channels, H', W'].</summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    private readonly long _stride, _padding, _dilation, _groups;

    public Conv2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long dilation = 1, long groups = 1, bool bias = true)
        : base(nameof(Conv2d))
    {
        (_stride, _padding, _dilation, _groups) = (stride, padding, dilation, groups);
        var fanIn = in_channels / groups * kernelSize * kernelSize;
        weight = init.DefaultUniform(new[] { out_channels, in_channels / groups, kernelSize, kernelSize }, fanIn);
        register_parameter(nameof(weight), weight);
        if (bias)
        {
            this.bias = init.DefaultUniform(new[] { out_channels }, fanIn);
            register_parameter(nameof(bias), this.bias);
        }
    }

    public Parameter weight { get; }
    public Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.conv2d(input, weight, bias, _stride, _padding, _dilation, _groups);
}

/// <summary>[N, in_channels, H, W] → [N, out_channels, (H-1)·stride - 2·padding + kernel + output_padding, ...].</summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    private readonly long _stride, _padding, _outputPadding;

    public ConvTranspose2d(long in_channels, long out_channels, long kernelSize, long stride = 1, long padding = 0, long output_padding = 0, bool bias = true)
        : base(nameof(ConvTranspose2d))
    {
        (_stride, _padding, _outputPadding) = (stride, padding, output_padding);
        // PyTorch computes fan_in of a transposed conv from weight.size(1) · kernel area.
        var fanIn = out_channels * kernelSize * kernelSize;
        weight = init.DefaultUniform(new[] { in_channels, out_channels, kernelSize, kernelSize }, fanIn);
        register_parameter(nameof(weight), weight);
        if (bias)
        {
            this.bias = init.DefaultUniform(new[] { out_channels }, fanIn);
            register_parameter(nameof(bias), this.bias);
        }
    }

    public Parameter weight { get; }
    public Parameter? bias { get; }

    public override Tensor forward(Tensor input) =>
        F.conv_transpose2d(input, weight, bias, [_stride, _stride], [_padding, _padding], [_outputPadding, _outputPadding]);
}

/// <summary>Normalizes the trailing <c>normalized_shape</c> dims, with learned scale and shift.</summary>
public sealed class LayerNorm : Module<Tensor, Tensor>
{
    private readonly long[] _normalizedShape;
    private readonly double _eps;

    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true) : base(nameof(LayerNorm))
    {
        _normalizedShape = normalized_shape;
        _eps = eps;
        if (!elementwise_affine) return;
        weight = init.Constant(normalized_shape, 1);
        bias = init.Constant(normalized_shape, 0);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
    }

    public LayerNorm(long normalized_shape, double eps = 1e-5) : this([normalized_shape], eps)
    {
    }

    public Parameter? weight { get; }
    public Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.layer_norm(input, _normalizedShape, weight, bias, _eps);
}

/// <summary>[N, C, *] normalized per group of C / num_groups channels, with per-channel scale and shift.</summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    private readonly long _groups;
    private readonly double _eps;

    public GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true) : base(nameof(GroupNorm))
    {
        if (num_channels % num_groups != 0) throw new ArgumentException($"{num_channels} channels do not split into {num_groups} groups");
        _groups = num_groups;
        _eps = eps;
        if (!affine) return;
        weight = init.Constant([num_channels], 1);
        bias = init.Constant([num_channels], 0);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
    }

    public Parameter? weight { get; }
    public Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.group_norm(input, _groups, weight, bias, _eps);
}

/// <summary>Batch normalization over [N, C, H, W] with running statistics for eval mode.</summary>
public sealed class BatchNorm2d : Module<Tensor, Tensor>
{
    private readonly double _momentum, _eps;

    public BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1) : base(nameof(BatchNorm2d))
    {
        (_eps, _momentum) = (eps, momentum);
        weight = init.Constant([num_features], 1);
        bias = init.Constant([num_features], 0);
        running_mean = zeros(num_features);
        running_var = ones(num_features);
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
    }

    public Parameter weight { get; }
    public Parameter bias { get; }
    public Tensor running_mean { get; }
    public Tensor running_var { get; }

    public override Tensor forward(Tensor input) => F.batch_norm(input, running_mean, running_var, weight, bias, training, _momentum, _eps);
}

public sealed class Dropout(double p = 0.5) : Module<Tensor, Tensor>(nameof(Dropout))
{
    public override Tensor forward(Tensor input) => F.dropout(input, p, training);
}

/// <summary>An element-wise activation as a module.</summary>
public sealed class Activation(string name, Func<Tensor, Tensor> function) : Module<Tensor, Tensor>(name)
{
    public override Tensor forward(Tensor input) => function(input);
}

/// <summary>Runs its modules in order.</summary>
public sealed class Sequential : Module<Tensor, Tensor>
{
    private readonly List<Module<Tensor, Tensor>> _layers = [];

    public Sequential(params Module<Tensor, Tensor>[] layers) : base(nameof(Sequential))
    {
        foreach (var layer in layers) append(layer);
    }

    public Sequential append(Module<Tensor, Tensor> layer)
    {
        register_module(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        _layers.Add(layer);
        return this;
    }

    public int Count => _layers.Count;

    public override Tensor forward(Tensor input)
    {
        if (_layers.Count == 0) return input.alias();
        var x = _layers[0].forward(input);
        for (var i = 1; i < _layers.Count; i++)
        {
            var next = _layers[i].forward(x);
            if (DisposeScope.Current is null) x.Dispose(); // no scope to collect the intermediate
            x = next;
        }
        return x;
    }
}

/// <summary>An indexed list of submodules named "0", "1", ...</summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> _items = [];

    public ModuleList(IEnumerable<Module> modules) : base(nameof(ModuleList))
    {
        foreach (var module in modules) Add(module);
    }

    public ModuleList() : this([])
    {
    }

    public void Add(Module module)
    {
        register_module(_items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        _items.Add(module);
    }

    public Module this[int index] => _items[index];
    public int Count => _items.Count;
    public IEnumerator<Module> GetEnumerator() => _items.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
