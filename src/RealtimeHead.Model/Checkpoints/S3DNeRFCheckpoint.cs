using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using RealtimeHead.Model.Losses;
using RealtimeHead.Model.Training;
using RealtimeHead.Torch;
using RealtimeHead.Torch.Serialization;
using static RealtimeHead.Torch.torch;

namespace RealtimeHead.Model.Checkpoints;

/// <summary>The JSON manifest of a checkpoint directory (<see cref="S3DNeRFCheckpoint.ManifestFile"/>).</summary>
/// <param name="Format">Always <see cref="S3DNeRFCheckpoint.FormatName"/>.</param>
/// <param name="Preset">The config's preset name.</param>
/// <param name="Config">The full config the weights were trained with.</param>
/// <param name="Step">Training steps completed.</param>
/// <param name="Seed">The trainer's seed (step n reseeds from (Seed, n), so this and Step fix the random stream).</param>
/// <param name="Options">The trainer's options; null for a model-only checkpoint.</param>
public sealed record S3DNeRFCheckpointManifest(string Format, string Preset, S3DNeRFConfig Config, long Step, long Seed, S3DNeRFTrainerOptions? Options);

/// <summary>
/// Checkpoint directories: the generator, both discriminators and both optimizer states as safetensors
/// (<see cref="SafeTensors"/>, state-dict names), and <see cref="ManifestFile"/> with the config, the step counter and the
/// seed. <see cref="Resume"/> restores a trainer exactly: the next step gives the losses the uninterrupted run would have.
/// A checkpoint whose config differs from the expected one is refused with every differing field named.
/// </summary>
public static class S3DNeRFCheckpoint
{
    public const string FormatName = "s3d-nerf-checkpoint/2";

    /// <summary>
    /// The format before the super-resolution module became a residual on the source image: its weights have the same
    /// names and shapes but meant a tanh output, so they would load and render wrongly. Refused with a clear message.
    /// </summary>
    public const string RetiredFormatName = "s3d-nerf-checkpoint/1";
    public const string ManifestFile = "checkpoint.json";
    public const string GeneratorFile = "generator.safetensors";
    public const string DiscriminatorFile = "discriminator.safetensors";
    public const string LipSyncFile = "lipsync.safetensors";
    public const string GeneratorOptimizerFile = "generator_optimizer.safetensors";
    public const string DiscriminatorOptimizerFile = "discriminator_optimizer.safetensors";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes the full training state of <paramref name="trainer"/> into <paramref name="directory"/> (created if needed).</summary>
    public static void Save(string directory, S3DNeRFTrainer trainer)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(trainer);
        Directory.CreateDirectory(directory);
        trainer.Model.save(Path.Combine(directory, GeneratorFile));
        trainer.Discriminator.save(Path.Combine(directory, DiscriminatorFile));
        trainer.LipSync.save(Path.Combine(directory, LipSyncFile));
        SaveOptimizer(Path.Combine(directory, GeneratorOptimizerFile), trainer.GeneratorOptimizer);
        SaveOptimizer(Path.Combine(directory, DiscriminatorOptimizerFile), trainer.DiscriminatorOptimizer);
        WriteManifest(directory, new S3DNeRFCheckpointManifest(FormatName, trainer.Config.Preset, trainer.Config, trainer.StepCount, trainer.Options.Seed, trainer.Options));
    }

    /// <summary>Writes a model-only checkpoint (generator weights and the manifest, step 0): enough for <see cref="LoadModel"/>.</summary>
    public static void SaveModel(string directory, S3DNeRF model)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        model.save(Path.Combine(directory, GeneratorFile));
        WriteManifest(directory, new S3DNeRFCheckpointManifest(FormatName, model.Config.Preset, model.Config, 0, 0, null));
    }

    /// <summary>Reads and checks the manifest of <paramref name="directory"/>.</summary>
    /// <exception cref="InvalidDataException">No manifest, or not one of this format.</exception>
    public static S3DNeRFCheckpointManifest ReadManifest(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, ManifestFile);
        if (!File.Exists(path)) throw new InvalidDataException($"'{directory}' is not an S3D-NeRF checkpoint: {ManifestFile} is missing");
        S3DNeRFCheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<S3DNeRFCheckpointManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid checkpoint manifest: {e.Message}", e);
        }
        if (manifest?.Format == RetiredFormatName)
        {
            throw new InvalidDataException(
                $"{path} is a {RetiredFormatName} checkpoint, made before the super-resolution module became a residual on the "
                + $"source image; this build reads {FormatName}: retrain it with 'realtimehead train'");
        }
        if (manifest is null || manifest.Format != FormatName || manifest.Config is null)
        {
            throw new InvalidDataException($"{path} is not a checkpoint of format {FormatName} (format '{manifest?.Format}')");
        }
        return manifest;
    }

    /// <summary>
    /// The generator of a checkpoint, in eval mode, built from the config recorded in it. With
    /// <paramref name="expected"/>, a checkpoint of another config is refused (<see cref="EnsureSameConfig"/>), except for
    /// the Eq. 9 loss weights: they shaped the training, not the model, so a preset's model trained with another recipe
    /// (e.g. without L_adv) still loads as that preset.
    /// </summary>
    public static S3DNeRF LoadModel(string directory, S3DNeRFConfig? expected = null)
    {
        var manifest = ReadManifest(directory);
        if (expected is not null) EnsureSameConfig(WithLossWeightsOf(expected, manifest.Config), manifest.Config, directory);
        var model = new S3DNeRF(manifest.Config);
        try
        {
            model.load(Path.Combine(directory, GeneratorFile));
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>
    /// A trainer restored from a full checkpoint: weights of the generator and both discriminators, both optimizer states
    /// and the step counter, with the seed and options recorded there. With <paramref name="expected"/>, a checkpoint of
    /// another config is refused. The trainer runs on <paramref name="device"/> (default CPU): the saved tensors are copied
    /// onto it.
    /// </summary>
    public static S3DNeRFTrainer Resume(string directory, PerceptualLoss perceptual, S3DNeRFConfig? expected = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(perceptual);
        var manifest = ReadManifest(directory);
        if (expected is not null) EnsureSameConfig(expected, manifest.Config, directory);
        if (manifest.Options is null) throw new InvalidDataException($"'{directory}' holds a model-only checkpoint: it has no training state to resume");
        var trainer = new S3DNeRFTrainer(manifest.Config, manifest.Options with { Seed = manifest.Seed }, perceptual, device);
        try
        {
            trainer.Model.load(Path.Combine(directory, GeneratorFile));
            trainer.Discriminator.load(Path.Combine(directory, DiscriminatorFile));
            trainer.LoadLipSyncWeights(Path.Combine(directory, LipSyncFile));
            LoadOptimizer(Path.Combine(directory, GeneratorOptimizerFile), trainer.GeneratorOptimizer);
            LoadOptimizer(Path.Combine(directory, DiscriminatorOptimizerFile), trainer.DiscriminatorOptimizer);
            trainer.RestoreStepCount(manifest.Step);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
        return trainer;
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> naming every field where <paramref name="actual"/> (the checkpoint's) differs
    /// from <paramref name="expected"/>, with both values.
    /// </summary>
    public static void EnsureSameConfig(S3DNeRFConfig expected, S3DNeRFConfig actual, string? source = null)
    {
        var differences = ConfigDifferences(expected, actual);
        if (differences.Count == 0) return;
        throw new InvalidDataException(
            $"checkpoint{(source is null ? "" : $" '{source}'")} was made with preset '{actual.Preset}', not the expected '{expected.Preset}': "
            + string.Join("; ", differences));
    }

    /// <summary><paramref name="config"/> with the training-only fields (Eq. 9 weights, the lip-sync switch) of <paramref name="source"/>.</summary>
    private static S3DNeRFConfig WithLossWeightsOf(S3DNeRFConfig config, S3DNeRFConfig source) => config with
    {
        PerceptualWeight = source.PerceptualWeight,
        AdversarialWeight = source.AdversarialWeight,
        SyncWeight = source.SyncWeight,
        DeformWeight = source.DeformWeight,
        UseLipSyncLoss = source.UseLipSyncLoss,
    };

    /// <summary>Every config field that differs, as "Field: checkpoint X, expected Y".</summary>
    public static IReadOnlyList<string> ConfigDifferences(S3DNeRFConfig expected, S3DNeRFConfig actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var left = JsonSerializer.SerializeToNode(expected, Json)!.AsObject();
        var right = JsonSerializer.SerializeToNode(actual, Json)!.AsObject();
        var differences = new List<string>();
        foreach (var (name, value) in left)
        {
            var other = right[name];
            if (!JsonNode.DeepEquals(value, other)) differences.Add($"{name}: checkpoint {Text(other)}, expected {Text(value)}");
        }
        return differences;
    }

    private static string Text(JsonNode? node) => node?.ToJsonString() ?? "(absent)";

    private static void WriteManifest(string directory, S3DNeRFCheckpointManifest manifest) =>
        File.WriteAllText(Path.Combine(directory, ManifestFile), JsonSerializer.Serialize(manifest, Json));

    private static void SaveOptimizer(string path, optim.Optimizer optimizer)
    {
        var state = optimizer.state_dict();
        try
        {
            SafeTensors.Save(path, state);
        }
        finally
        {
            state["step"].Dispose(); // a fresh tensor; the moments belong to the optimizer
        }
    }

    private static void LoadOptimizer(string path, optim.Optimizer optimizer)
    {
        var state = SafeTensors.Load(path);
        try
        {
            optimizer.load_state_dict(state);
        }
        finally
        {
            foreach (var tensor in state.Values) tensor.Dispose();
        }
    }
}
