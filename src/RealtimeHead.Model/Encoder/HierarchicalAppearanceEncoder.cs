using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;
using F = RealtimeHead.Torch.torch.nn.functional;

namespace RealtimeHead.Model.Encoder;

/// <summary>
/// Hierarchical Facial Appearance Encoder (S3D-NeRF Sec. 3.1, Eq. 1): a feature pyramid [19] over the source image
/// whose every level is reshaped into three orthogonal planes as in EG3D [4].
/// <list type="bullet">
/// <item>Bottom-up: D^0 = Down^0(I_src), D^i = Down^i(D^{i-1}); Down^i halves the resolution (3x3 conv stride 2,
/// GroupNorm, LeakyReLU, then a 3x3 conv stride 1, GroupNorm, LeakyReLU to widen the receptive field).</item>
/// <item>Top-down: F^{L-1} = D^{L-1}, F^i = Conv1x1^i([Up^i(F^{i+1}), D^i]) where Up^i is bilinear ×2 then a 3x3 conv
/// (with LeakyReLU) to C_i channels. Like FPN, the 1x1 fusion is linear.</item>
/// <item>Each F^i is projected by a 1x1 conv to 3·C channels and viewed as [B, 3, C, H_i, W_i] = (xy, yz, xz).</item>
/// </list>
/// Level i has side S / 2^(i+1) and C_i = <see cref="S3DNeRFConfig.EncoderChannels"/>[i]; C = <see cref="S3DNeRFConfig.PlaneChannels"/>.
/// </summary>
public sealed class HierarchicalAppearanceEncoder : nn.Module<Tensor, TriPlanePyramid>
{
    private const double Slope = 0.2;

    private readonly Sequential[] _down;
    private readonly Sequential[] _up;
    private readonly Conv2d[] _fuse;
    private readonly Conv2d[] _toPlanes;
    private readonly int _levels;
    private readonly long _planeChannels;
    private readonly long _imageSize;

    public HierarchicalAppearanceEncoder(S3DNeRFConfig config) : base(nameof(HierarchicalAppearanceEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        var channels = config.EncoderChannels;
        _levels = channels.Length;
        _planeChannels = config.PlaneChannels;
        _imageSize = config.ImageSize;

        _down = new Sequential[_levels];
        for (var i = 0; i < _levels; i++)
        {
            long input = i == 0 ? 3 : channels[i - 1];
            _down[i] = Sequential(
                Conv2d(input, channels[i], 3, stride: 2, padding: 1),
                GroupNorm(NormGroups(channels[i]), channels[i]),
                LeakyReLU(Slope),
                Conv2d(channels[i], channels[i], 3, stride: 1, padding: 1),
                GroupNorm(NormGroups(channels[i]), channels[i]),
                LeakyReLU(Slope));
        }

        // Up^i and Conv^i exist for i = 0 .. L-2 (F^{L-1} = D^{L-1} needs neither).
        _up = new Sequential[_levels - 1];
        _fuse = new Conv2d[_levels - 1];
        for (var i = 0; i < _levels - 1; i++)
        {
            _up[i] = Sequential(Conv2d(channels[i + 1], channels[i], 3, padding: 1), LeakyReLU(Slope));
            _fuse[i] = Conv2d(2L * channels[i], channels[i], 1);
        }

        _toPlanes = new Conv2d[_levels];
        for (var i = 0; i < _levels; i++) _toPlanes[i] = Conv2d(channels[i], 3 * _planeChannels, 1);

        RegisterComponents();
    }

    /// <summary>Largest divisor of <paramref name="channels"/> that is at most 8 (GroupNorm needs an exact split).</summary>
    internal static long NormGroups(long channels)
    {
        for (var groups = Math.Min(8, channels); groups > 1; groups--)
        {
            if (channels % groups == 0) return groups;
        }
        return 1;
    }

    /// <summary>Source image [B, 3, S, S] with values in [-1, 1] → the pyramid: per level planes [B, 3, C, S/2^(i+1), S/2^(i+1)].</summary>
    public override TriPlanePyramid forward(Tensor image)
    {
        var shape = image.shape;
        if (shape.Length != 4 || shape[1] != 3 || shape[2] != _imageSize || shape[3] != _imageSize)
        {
            throw new ArgumentException($"expected an image [B, 3, {_imageSize}, {_imageSize}], got [{string.Join(", ", shape)}]", nameof(image));
        }

        var planes = new Tensor[_levels];
        var features = new Tensor[_levels];
        using (NewDisposeScope())
        {
            var down = new Tensor[_levels];
            var x = image;
            for (var i = 0; i < _levels; i++)
            {
                x = _down[i].forward(x);
                down[i] = x;
            }

            // S3D-NeRF Eq. 1: top-down, the coarsest level passes through unchanged.
            var f = down[_levels - 1];
            features[_levels - 1] = f;
            for (var i = _levels - 2; i >= 0; i--)
            {
                var upsampled = F.interpolate(f, scale_factor: [2.0, 2.0], mode: InterpolationMode.Bilinear, align_corners: false);
                var up = _up[i].forward(upsampled);
                f = _fuse[i].forward(cat([up, down[i]], dim: 1));
                features[i] = f;
            }

            for (var i = 0; i < _levels; i++)
            {
                var projected = _toPlanes[i].forward(features[i]);
                var side = projected.shape;
                planes[i] = projected.view(side[0], 3, _planeChannels, side[2], side[3]).MoveToOuterDisposeScope();
                features[i].MoveToOuterDisposeScope();
            }
        }
        return new TriPlanePyramid(planes, features);
    }
}
