using RealtimeHead.Evaluation.Data;
using RealtimeHead.Evaluation.Imaging;
using RealtimeHead.Imaging;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Modules;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Evaluation.Landmarks;

/// <summary>
/// The evaluation's landmark detector: a small CNN from a square face crop to the 68 iBUG points. It stands in for the
/// off-the-shelf detector (dlib / face-alignment) the papers run LMD with, which this project cannot ship; its own error
/// against ground truth on held-out identities is reported beside every LMD it produces.
/// <para>
/// Input: crops [B, 3, <see cref="CropSize"/>, <see cref="CropSize"/>] in [-1, 1], cut with <see cref="FaceBoxes.Face"/>.
/// Output: [B, 136] interleaved x, y as fractions of the crop (0 = left/top edge, 1 = right/bottom edge). Layers: a
/// stride-1 stem, four stride-2 conv stages (C, 2C, 2C, 4C channels; 64 → 4 pixels), two linear layers. No normalisation
/// layers, so train and eval modes compute the same function.
/// </para>
/// </summary>
public sealed class LandmarkRegressor : nn.Module<Tensor, Tensor>
{
    public const string FormatName = "realtimehead-landmark-regressor/1";
    public const int CropSize = 64;
    public const int Outputs = 136;
    private const double Slope = 0.2;

    private readonly Sequential _features;
    private readonly Sequential _head;

    /// <param name="channels">C, the stem width (default 32).</param>
    public LandmarkRegressor(int channels = 32) : base(nameof(LandmarkRegressor))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 4);
        Channels = channels;
        var c = channels;
        _features = nn.Sequential(
            nn.Conv2d(3, c, 3, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv2d(c, c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv2d(c, 2 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv2d(2 * c, 2 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope),
            nn.Conv2d(2 * c, 4 * c, 3, stride: 2, padding: 1), nn.LeakyReLU(Slope));
        _head = nn.Sequential(nn.Linear(4 * c * 16, 256), nn.LeakyReLU(Slope), nn.Linear(256, Outputs));
        RegisterComponents();
    }

    public int Channels { get; }

    /// <summary>Metadata of the file it was loaded from, or set before saving (format, held-out error …).</summary>
    public Dictionary<string, string> Metadata { get; } = [];

    /// <summary>crops [B, 3, 64, 64] in [-1, 1] → landmarks [B, 136] in crop fractions.</summary>
    public override Tensor forward(Tensor input)
    {
        var shape = input.shape;
        if (shape.Length != 4 || shape[1] != 3 || shape[2] != CropSize || shape[3] != CropSize)
        {
            throw new ArgumentException($"crops must be [B, 3, {CropSize}, {CropSize}], got [{string.Join(", ", shape)}]", nameof(input));
        }
        using var scope = NewDisposeScope();
        var features = _features.forward(input).flatten(1);
        // Centred on the crop so an untrained net starts at the box centre.
        return (_head.forward(features) + 0.5).MoveToOuterDisposeScope();
    }

    /// <summary>The crop of <paramref name="image"/> inside <paramref name="box"/> as the network's input values ([3, 64, 64], [-1, 1]).</summary>
    public static float[] CropInput(RgbImage image, PixelBox box)
    {
        var values = ImageOps.Sample(image, box, CropSize, CropSize, gray: false);
        for (var i = 0; i < values.Length; i++) values[i] = 2 * values[i] - 1;
        return values;
    }

    /// <summary>Landmarks (136 interleaved pixel coordinates of each image) of the faces inside the boxes.</summary>
    public IReadOnlyList<double[]> Predict(IReadOnlyList<(RgbImage Image, PixelBox Box)> faces, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(faces);
        var results = new List<double[]>(faces.Count);
        const int batch = 64;
        for (var start = 0; start < faces.Count; start += batch)
        {
            var n = Math.Min(batch, faces.Count - start);
            var input = new float[n * 3 * CropSize * CropSize];
            for (var k = 0; k < n; k++) CropInput(faces[start + k].Image, faces[start + k].Box).CopyTo(input, k * 3 * CropSize * CropSize);
            float[] output;
            using (NewDisposeScope())
            using (no_grad())
            {
                var x = tensor(input, [n, 3, CropSize, CropSize]);
                if (device is not null) x = x.to(device);
                output = forward(x).cpu().data<float>();
            }
            for (var k = 0; k < n; k++)
            {
                var box = faces[start + k].Box;
                var points = new double[Outputs];
                for (var p = 0; p < 68; p++)
                {
                    points[2 * p] = box.X0 + output[k * Outputs + 2 * p] * box.Width;
                    points[2 * p + 1] = box.Y0 + output[k * Outputs + 2 * p + 1] * box.Height;
                }
                results.Add(points);
            }
        }
        return results;
    }

    /// <summary>Writes the weights and <see cref="Metadata"/> (plus the format and width) as safetensors.</summary>
    public void Save(string path)
    {
        var metadata = new Dictionary<string, string>(Metadata) { ["format"] = FormatName, ["channels"] = Channels.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        this.save(path, metadata);
    }

    /// <summary>Reads a file written by <see cref="Save"/>, in eval mode.</summary>
    /// <exception cref="InvalidDataException">Not a landmark regressor file.</exception>
    public static LandmarkRegressor Load(string path)
    {
        var header = SafeTensors.ReadHeader(path);
        if (!header.Metadata.TryGetValue("format", out var format) || format != FormatName
            || !header.Metadata.TryGetValue("channels", out var channelsText) || !int.TryParse(channelsText, System.Globalization.CultureInfo.InvariantCulture, out var channels) || channels < 4)
        {
            throw new InvalidDataException($"{path} is not a landmark regressor ({FormatName}); train one with 'realtimehead eval train-landmarks'");
        }
        var model = new LandmarkRegressor(channels);
        model.load(path);
        foreach (var (key, value) in header.Metadata) model.Metadata[key] = value;
        model.eval();
        return model;
    }
}
