namespace RealtimeHead.Model.Checkpoints;

/// <summary>
/// The trained checkpoints that ship with the build: <c>Default/&lt;preset&gt;/</c> beside the application, copied there
/// from <c>src/RealtimeHead.Model/Default/</c> by the model project (its <see cref="S3DNeRFCheckpoint.ManifestFile"/> and
/// <see cref="S3DNeRFCheckpoint.GeneratorFile"/> only: inference needs nothing else). A preset is bundled when its manifest
/// is there; a bundled checkpoint that cannot be used is a broken build and is reported, never silently replaced by an
/// untrained model.
/// </summary>
public sealed class BundledModels
{
    /// <summary>The folder beside the application that holds one checkpoint directory per preset.</summary>
    public const string FolderName = "Default";

    /// <param name="root">The folder holding <c>&lt;preset&gt;/checkpoint.json</c> (tests point it at a temporary directory).</param>
    public BundledModels(string root)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = root;
    }

    /// <summary>The models copied beside the running application (<see cref="AppContext.BaseDirectory"/>/Default).</summary>
    public static BundledModels BesideApplication { get; } = new(Path.Combine(AppContext.BaseDirectory, FolderName));

    public string Root { get; }

    /// <summary>
    /// The checkpoint directory bundled for <paramref name="preset"/> (case-insensitive), or null when none is (no manifest
    /// there, or a preset name that cannot be a folder). A present one is checked before it is returned: its manifest
    /// parses, records a valid config of that preset, and the generator weights are there.
    /// </summary>
    /// <exception cref="InvalidDataException">A checkpoint is bundled for the preset but cannot be used (the message says why).</exception>
    public string? TryLocate(string preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var name = preset.Trim().ToLowerInvariant();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return null;
        var directory = Path.Combine(Root, name);
        if (!File.Exists(Path.Combine(directory, S3DNeRFCheckpoint.ManifestFile))) return null;

        var manifest = S3DNeRFCheckpoint.ReadManifest(directory);
        if (!string.Equals(manifest.Config.Preset, name, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"the bundled model '{directory}' was made with preset '{manifest.Config.Preset}', not '{name}': bundle it under {FolderName}/{manifest.Config.Preset.ToLowerInvariant()}/");
        }
        try
        {
            manifest.Config.EnsureValid();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"the bundled model '{directory}' records an invalid config: {e.Message}", e);
        }
        if (!File.Exists(Path.Combine(directory, S3DNeRFCheckpoint.GeneratorFile)))
        {
            throw new InvalidDataException($"the bundled model '{directory}' has a manifest but no {S3DNeRFCheckpoint.GeneratorFile}");
        }
        return directory;
    }
}
