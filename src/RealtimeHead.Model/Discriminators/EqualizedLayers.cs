using RealtimeHead.Torch;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Discriminators;

/// <summary>
/// Conv2d with the equalized learning rate of Karras et al. (ProGAN Sec. 4.1, kept in StyleGAN2): weights are stored
/// N(0, 1) and scaled by 1/√fan_in at run time, so Adam's per-parameter step is equally effective for every layer.
/// [B, C_in, H, W] → [B, C_out, H, W] (stride 1, "same" padding).
/// </summary>
internal sealed class EqualizedConv2d : nn.Module<Tensor, Tensor>
{
    private readonly nn.Parameter _weight;
    private readonly nn.Parameter? _bias;
    private readonly double _scale;
    private readonly long _padding;

    public EqualizedConv2d(long inChannels, long outChannels, long kernelSize, bool bias = true) : base(nameof(EqualizedConv2d))
    {
        _weight = new nn.Parameter(randn([outChannels, inChannels, kernelSize, kernelSize]));
        _bias = bias ? new nn.Parameter(zeros([outChannels])) : null;
        _scale = 1 / Math.Sqrt(inChannels * kernelSize * kernelSize);
        _padding = kernelSize / 2;
        register_parameter("weight", _weight);
        if (_bias is not null) register_parameter("bias", _bias);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return F.conv2d(input, _weight * _scale, _bias, stride: 1, padding: _padding).MoveToOuterDisposeScope();
    }
}

/// <summary>Linear layer with the equalized learning rate (see <see cref="EqualizedConv2d"/>). [..., in] → [..., out].</summary>
internal sealed class EqualizedLinear : nn.Module<Tensor, Tensor>
{
    private readonly nn.Parameter _weight;
    private readonly nn.Parameter _bias;
    private readonly double _scale;

    public EqualizedLinear(long inFeatures, long outFeatures) : base(nameof(EqualizedLinear))
    {
        _weight = new nn.Parameter(randn([outFeatures, inFeatures]));
        _bias = new nn.Parameter(zeros([outFeatures]));
        _scale = 1 / Math.Sqrt(inFeatures);
        register_parameter("weight", _weight);
        register_parameter("bias", _bias);
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        return F.linear(input, _weight * _scale, _bias).MoveToOuterDisposeScope();
    }
}
