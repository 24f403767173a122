using RealtimeHead.Torch.Modules;
using static RealtimeHead.Torch.torch;
using static RealtimeHead.Torch.torch.nn;

namespace RealtimeHead.Model.Deformation;

/// <summary>
/// The 1-D fully convolutional network of S3D-NeRF Sec. 3.2 that turns a window of speech features (wav2vec2 or
/// log-mel frames) into the driving audio feature a_dri. A kernel-3 convolution lifts the features to
/// <see cref="S3DNeRFConfig.AudioDim"/> channels, up to two stride-2 convolutions shorten time while at least four
/// steps remain (cross-attention needs several keys), and a 1x1 convolution mixes channels. A learned embedding per
/// output step tells the attention where in the window each key lies.
/// </summary>
public sealed class AudioEncoder : Module<Tensor, Tensor>
{
    private const double Slope = 0.2;
    private const int MinimumSteps = 4;

    private readonly Sequential _network;
    private readonly Parameter _timeEmbedding;
    private readonly long _window;
    private readonly long _featureDim;

    public AudioEncoder(S3DNeRFConfig config) : base(nameof(AudioEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.EnsureValid();
        _window = config.AudioWindow;
        _featureDim = config.AudioFeatureDim;
        OutputDim = config.AudioDim;

        _network = Sequential(Conv1d(_featureDim, OutputDim, 3, padding: 1), LeakyReLU(Slope));
        var steps = _window;
        for (var i = 0; i < 2 && (steps + 1) / 2 >= MinimumSteps; i++)
        {
            _network.append(Conv1d(OutputDim, OutputDim, 3, stride: 2, padding: 1));
            _network.append(LeakyReLU(Slope));
            steps = (steps + 1) / 2; // ⌈L / 2⌉ for kernel 3, stride 2, padding 1
        }
        _network.append(Conv1d(OutputDim, OutputDim, 1));
        OutputSteps = steps;

        using (NewDisposeScope())
        {
            _timeEmbedding = new Parameter(zeros(1, steps, OutputDim));
        }
        init.normal_(_timeEmbedding, 0, 0.02);
        RegisterComponents();
    }

    /// <summary>T_a: time steps of a_dri (4 for the 16-frame default window).</summary>
    public long OutputSteps { get; }

    /// <summary>Channels of a_dri.</summary>
    public long OutputDim { get; }

    /// <summary>audio window [B, W, AudioFeatureDim] → a_dri [B, T_a, AudioDim].</summary>
    public override Tensor forward(Tensor audio)
    {
        var shape = audio.shape;
        if (shape.Length != 3 || shape[1] != _window || shape[2] != _featureDim)
        {
            throw new ArgumentException($"expected audio features [B, {_window}, {_featureDim}], got [{string.Join(", ", shape)}]", nameof(audio));
        }
        using var scope = NewDisposeScope();
        var encoded = _network.forward(audio.transpose(1, 2)).transpose(1, 2); // [B, T_a, AudioDim]
        return (encoded + _timeEmbedding).MoveToOuterDisposeScope();
    }
}
