using RealtimeHead.OnnxRuntime.Tests.Onnx;

namespace RealtimeHead.Audio.Tests.Features;

/// <summary>
/// A stand-in for a wav2vec2 export with the same interface: input_values [1, samples] → last_hidden_state
/// [1, frames, dim], its "feature encoder" one strided Conv1d (kernel 400, stride 320) with random weights.
/// </summary>
internal static class TinyWav2Vec2
{
    internal static byte[] Build(int dim, int seed = 11, string inputName = "input_values")
    {
        var random = new Random(seed);
        var weights = new float[dim * 400];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)((random.NextDouble() * 2 - 1) * 0.05);
        var bias = new float[dim];
        for (var i = 0; i < dim; i++) bias[i] = (float)(random.NextDouble() * 0.1);
        return new OnnxModelBuilder("tiny-wav2vec2")
            .Input(inputName, OnnxModelBuilder.Float, 1, "samples")
            .Initializer("axes", [1L], 1)
            .Initializer("conv.weight", weights, dim, 1, 400)
            .Initializer("conv.bias", bias, dim)
            .Node("Unsqueeze", [inputName, "axes"], ["x3"])
            .Node("Conv", ["x3", "conv.weight", "conv.bias"], ["features"], ("kernel_shape", new long[] { 400 }), ("strides", new long[] { 320 }))
            .Node("Transpose", ["features"], ["last_hidden_state"], ("perm", new long[] { 0, 2, 1 }))
            .Output("last_hidden_state", OnnxModelBuilder.Float, 1, "frames", dim)
            .Build();
    }

    internal static string WriteTemp(int dim, int seed = 11, string inputName = "input_values")
    {
        var path = Path.Combine(Path.GetTempPath(), $"rh-tiny-wav2vec2-{dim}-{seed}-{inputName}-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, Build(dim, seed, inputName));
        return path;
    }
}
