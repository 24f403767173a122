using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.SuperResolution;

/// <summary>
/// x + conv(lrelu(conv(x))) with 3×3 convolutions and no normalisation (EDSR, Lim et al. 2017: batch norm hurts
/// super-resolution and costs time): [B, C, H, W] → [B, C, H, W].
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;

    public ResidualBlock(int channels) : base(nameof(ResidualBlock))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Channels = channels;
        _conv1 = nn.Conv2d(channels, channels, 3, padding: 1);
        _conv2 = nn.Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public int Channels { get; }

    /// <summary>Multiply-accumulates for one H×W map.</summary>
    public long MultiplyAccumulates(long height, long width) => 2 * height * width * Channels * Channels * 9;

    /// <summary>[B, C, H, W] → [B, C, H, W].</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = F.leaky_relu(_conv1.forward(input), 0.2);
        return input.add(_conv2.forward(x)).MoveToOuterDisposeScope();
    }
}
